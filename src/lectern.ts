import type { CoreConfig } from './config.js';
import { loadCoreConfig } from './config.js';
import type { Library } from './corpus/library.js';
import { Embedder } from './embed/embedder.js';
import { LecternError } from './errors.js';
import { buildIndex, staleReasons, type BuildEvent } from './index/build.js';
import { loadIndex, readManifest, type LoadedIndex, type Manifest } from './index/store.js';
import type { IndexUnit } from './index/units.js';
import { answerQuestion, type AnswerWithEvidence, type AskOptions } from './search/ask.js';
import { answerMessage, converse, ConversationStore, type ConverseOptions, type ConversationTurn } from './search/follow-up.js';
import type { SearchIndex } from './search/search.js';
import type { Answer } from './types.js';

export type { AskOptions } from './search/ask.js';

/** How {@link Lectern.open} treats an index that is missing or does not match the texts and model. */
export type StalePolicy = 'rebuild' | 'fail';

export interface OpenOptions {
  /** Overrides of the configuration read from the environment. */
  config?: Partial<Pick<CoreConfig, 'textsDir' | 'indexDir'>> & Partial<CoreConfig>;
  /** Default "fail": stop with a message naming `npm run embed`. */
  onStale?: StalePolicy;
  /** Progress of a rebuild triggered by `onStale: 'rebuild'`. */
  onBuildEvent?: (event: BuildEvent) => void;
  /** Told why an index is being rebuilt. */
  onRebuild?: (reasons: string[]) => void;
}

/**
 * The question-answering engine over one library: model, index and search,
 * loaded once and shared by the terminal chat, the CLI and the Discord bot.
 *
 * @example
 * const lectern = await Lectern.open();
 * const answer = await lectern.ask('Who signed the communiqué?');
 * console.log(answer.quote?.text);
 */
export class Lectern {
  private constructor(
    readonly config: CoreConfig,
    readonly manifest: Manifest,
    private readonly index: SearchIndex,
    private readonly embedder: Embedder,
  ) {}

  /** Loads the index and the model, checking that they match the texts. */
  static async open(options: OpenOptions = {}): Promise<Lectern> {
    const config: CoreConfig = { ...loadCoreConfig(), ...options.config };
    const policy = options.onStale ?? 'fail';
    let manifest = await readManifest(config.indexDir).catch((error: unknown) => {
      if (policy === 'rebuild') return null;
      throw error;
    });
    const reasons = manifest ? await staleReasons(config, manifest) : ['there is no index yet'];
    const embedder = await Embedder.load(config.model);
    try {
      if (reasons.length > 0) {
        if (policy === 'fail') {
          throw new LecternError(
            manifest
              ? `The index in ${config.indexDir} is out of date: ${reasons.join('; ')}. Rebuild it with \`npm run embed\`.`
              : `No index in ${config.indexDir}. Build it with \`npm run embed\`.`,
          );
        }
        options.onRebuild?.(reasons);
        manifest = (await buildIndex(config, { embedder, onEvent: options.onBuildEvent })).manifest;
      }
      if (!manifest) throw new LecternError(`No index in ${config.indexDir}. Build it with \`npm run embed\`.`);
      if (manifest.model.dimension !== embedder.dimension && policy === 'rebuild') {
        options.onRebuild?.([`the index has ${manifest.model.dimension}-dimensional vectors but the model makes ${embedder.dimension}`]);
        manifest = (await buildIndex(config, { embedder, force: true, onEvent: options.onBuildEvent })).manifest;
      }
      if (manifest.model.dimension !== embedder.dimension) {
        throw new LecternError(`The index has ${manifest.model.dimension}-dimensional vectors but the model makes ${embedder.dimension}. Rebuild it with \`npm run embed\`.`);
      }
      let loaded: LoadedIndex;
      try {
        loaded = await loadIndex(config.indexDir, manifest);
      } catch (error) {
        if (policy !== 'rebuild') throw error;
        options.onRebuild?.([error instanceof Error ? error.message : 'the index cannot be read']);
        manifest = (await buildIndex(config, { embedder, force: true, onEvent: options.onBuildEvent })).manifest;
        loaded = await loadIndex(config.indexDir, manifest);
      }
      loaded.dense.setEf(config.hnsw.efSearch);
      return new Lectern(config, manifest, toSearchIndex(loaded), embedder);
    } catch (error) {
      await embedder.dispose();
      throw error;
    }
  }

  get library(): Library {
    return this.index.library;
  }

  /** Identifies this build of the index; stored in Discord buttons to detect answers from an older index. */
  get indexId(): string {
    return this.manifest.buildId;
  }

  /** Answers a question. Never throws for odd input: blank → usage text, very long → truncated with a notice. */
  async ask(question: string, options: AskOptions = {}): Promise<Answer> {
    return (await this.askWithEvidence(question, options)).answer;
  }

  /** Like {@link ask}, with the evidence that decided it (for evaluation and debugging). */
  askWithEvidence(question: string, options: AskOptions = {}): Promise<AnswerWithEvidence> {
    return options.followUpOf ? answerMessage(this.index, this.embedQuery, question, options) : answerQuestion(this.index, this.embedQuery, question, options);
  }

  /** Conversations by key, for {@link converse}: bounded in number and time (see ConversationStore). */
  readonly conversations = new ConversationStore();

  /**
   * Answers one message of the conversation under `key` ("terminal"; on Discord a channel and user):
   * a new question, or a follow-up of the last one ("why?", "who else?", "tell me more").
   */
  async converse(key: string, message: string, options: ConverseOptions = {}): Promise<ConversationTurn> {
    const turn = await converse(this.index, this.embedQuery, message, this.conversations.get(key), options);
    this.conversations.set(key, turn.conversation);
    return turn;
  }

  private readonly embedQuery = async (text: string): Promise<Float32Array> => (await this.embedder.embedQueries([text]))[0]!;

  async close(): Promise<void> {
    await this.embedder.dispose();
  }
}

/** Groups the units of a loaded index by passage, as search expects. */
export function toSearchIndex(loaded: LoadedIndex): SearchIndex {
  const unitsByPassage = new Map<string, IndexUnit[]>();
  for (const unit of loaded.units) {
    const list = unitsByPassage.get(unit.passageId);
    if (list) list.push(unit);
    else unitsByPassage.set(unit.passageId, [unit]);
  }
  return { library: loaded.library, units: loaded.units, unitsByPassage, dense: loaded.dense, lexical: loaded.lexical };
}
