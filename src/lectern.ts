import type { CoreConfig } from './config.js';
import { loadCoreConfig } from './config.js';
import type { Library } from './corpus/library.js';
import { Embedder } from './embed/embedder.js';
import { LecternError } from './errors.js';
import { buildIndex, staleReasons, type BuildEvent } from './index/build.js';
import { buildInWorker } from './index/build-in-worker.js';
import { loadIndex, readManifest, type LoadedIndex, type Manifest } from './index/store.js';
import type { IndexUnit } from './index/units.js';
import { answerQuestion, type AnswerWithEvidence, type AskOptions } from './search/ask.js';
import {
  answerMessage,
  converse,
  ConversationStore,
  type ConverseOptions,
  type ConversationTurn,
} from './search/follow-up.js';
import type { SearchIndex } from './search/search.js';
import type { Answer } from './types.js';

export type { AskOptions } from './search/ask.js';

/**
 * How {@link Lectern.open} treats an index that is missing or does not match the texts and model:
 * - "fail": stop with a message naming `npm run embed`;
 * - "rebuild": rebuild it before answering;
 * - "background": answer from the stale index at once (when it loads and
 *   fits the model) while a worker thread rebuilds it, then swap the new one
 *   in; rebuild first only when there is nothing loadable to serve.
 */
export type StalePolicy = 'rebuild' | 'fail' | 'background';

export interface OpenOptions {
  /** Overrides of the configuration read from the environment. */
  config?: Partial<Pick<CoreConfig, 'textsDir' | 'indexDir'>> & Partial<CoreConfig>;
  /** Default "fail": stop with a message naming `npm run embed`. */
  onStale?: StalePolicy;
  /** Progress of a rebuild triggered by `onStale: 'rebuild'`. */
  onBuildEvent?: (event: BuildEvent) => void;
  /** Told why an index is being rebuilt. */
  onRebuild?: (reasons: string[]) => void;
  /** With "background": told when the rebuilt index has replaced the stale one, or why the rebuild failed (the stale index is kept). */
  onSwap?: (outcome: { manifest: Manifest } | { error: string }) => void;
}

/** What one answer reads: swapped as a whole, so an answer never mixes two builds. */
interface Served {
  manifest: Manifest;
  index: SearchIndex;
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
  private served: Served;
  private running: { stop: AbortController; done: Promise<Manifest> } | null = null;
  private closed = false;

  private constructor(
    readonly config: CoreConfig,
    manifest: Manifest,
    index: SearchIndex,
    private readonly embedder: Embedder,
  ) {
    this.served = { manifest, index };
  }

  /** The manifest of the index answers come from now. */
  get manifest(): Manifest {
    return this.served.manifest;
  }

  /** Loads the index and the model, checking that they match the texts. */
  static async open(options: OpenOptions = {}): Promise<Lectern> {
    const config: CoreConfig = { ...loadCoreConfig(), ...options.config };
    const policy = options.onStale ?? 'fail';
    let manifest = await readManifest(config.indexDir).catch((error: unknown) => {
      if (policy === 'rebuild') return null;
      throw error;
    });
    const reasons = manifest ? await staleReasons(config, manifest) : ['there is no index yet'];
    // A current index is read while the model loads: both take about as long (0.8 s on a 3 MB library).
    const readFirst = manifest;
    const current =
      manifest && reasons.length === 0
        ? loadIndex(config.indexDir, manifest).then(
            (loaded) => ({ loaded }),
            (error: unknown) => ({ error }),
          )
        : undefined;
    const embedder = await Embedder.load(config.model);
    if (policy === 'background' && reasons.length > 0 && manifest && manifest.model.dimension === embedder.dimension) {
      const stale = await loadIndex(config.indexDir, manifest).catch(() => null);
      if (stale) {
        stale.dense.setEf(config.hnsw.efSearch);
        const lectern = new Lectern(config, manifest, toSearchIndex(stale), embedder);
        options.onRebuild?.(reasons);
        lectern.rebuild({ onBuildEvent: options.onBuildEvent }).then(
          (m) => options.onSwap?.({ manifest: m }),
          (error: unknown) => options.onSwap?.({ error: error instanceof Error ? error.message : String(error) }),
        );
        return lectern;
      }
    }
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
        options.onRebuild?.([
          `the index has ${manifest.model.dimension}-dimensional vectors but the model makes ${embedder.dimension}`,
        ]);
        manifest = (await buildIndex(config, { embedder, force: true, onEvent: options.onBuildEvent })).manifest;
      }
      if (manifest.model.dimension !== embedder.dimension) {
        throw new LecternError(
          `The index has ${manifest.model.dimension}-dimensional vectors but the model makes ${embedder.dimension}. Rebuild it with \`npm run embed\`.`,
        );
      }
      let loaded: LoadedIndex;
      try {
        const early = manifest === readFirst ? await current : undefined;
        if (early && 'error' in early) throw early.error;
        loaded = early?.loaded ?? (await loadIndex(config.indexDir, manifest));
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
    return this.served.index.library;
  }

  /** Identifies this build of the index; stored in Discord buttons to detect answers from an older index. */
  get indexId(): string {
    return this.served.manifest.buildId;
  }

  /** True while a background rebuild is running. */
  get rebuilding(): boolean {
    return this.running !== null;
  }

  /**
   * Rebuilds the index from the texts in a worker thread while this engine
   * keeps answering from the current one, then loads the new index and swaps
   * it in (answers already under way finish on the old one). A failed build
   * leaves the current index serving and on disk. Calls made while a rebuild
   * runs share it.
   */
  rebuild(options: { force?: boolean; onBuildEvent?: (event: BuildEvent) => void } = {}): Promise<Manifest> {
    if (this.running) return this.running.done;
    if (this.closed) return Promise.reject(new LecternError('This Lectern is closed.'));
    const stop = new AbortController();
    const done = buildInWorker(this.config, {
      force: options.force,
      onEvent: options.onBuildEvent,
      signal: stop.signal,
    })
      .then(async (result) => {
        const loaded = await loadIndex(this.config.indexDir, result.manifest);
        loaded.dense.setEf(this.config.hnsw.efSearch);
        if (!this.closed) this.served = { manifest: result.manifest, index: toSearchIndex(loaded) };
        return result.manifest;
      })
      .finally(() => {
        this.running = null;
      });
    this.running = { stop, done };
    return done;
  }

  /** Answers a question. Never throws for odd input: blank → usage text, very long → truncated with a notice. */
  async ask(question: string, options: AskOptions = {}): Promise<Answer> {
    return (await this.askWithEvidence(question, options)).answer;
  }

  /** Like {@link ask}, with the evidence that decided it (for evaluation and debugging). */
  askWithEvidence(question: string, options: AskOptions = {}): Promise<AnswerWithEvidence> {
    return options.followUpOf
      ? answerMessage(this.served.index, this.embedQuery, question, options)
      : answerQuestion(this.served.index, this.embedQuery, question, options);
  }

  /** Conversations by key, for {@link converse}: bounded in number and time (see ConversationStore). */
  readonly conversations = new ConversationStore();

  /**
   * Answers one message of the conversation under `key` ("terminal"; on Discord a channel and user):
   * a new question, or a follow-up of the last one ("why?", "who else?", "tell me more").
   */
  async converse(key: string, message: string, options: ConverseOptions = {}): Promise<ConversationTurn> {
    const turn = await converse(this.served.index, this.embedQuery, message, this.conversations.get(key), options);
    this.conversations.set(key, turn.conversation);
    return turn;
  }

  private readonly embedQuery = async (text: string): Promise<Float32Array> =>
    (await this.embedder.embedQueries([text]))[0]!;

  /** Stops a running rebuild (its build leaves the index on disk as it was) and frees the model. */
  async close(): Promise<void> {
    this.closed = true;
    const running = this.running;
    if (running) {
      running.stop.abort();
      await running.done.catch(() => undefined);
    }
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
  return {
    library: loaded.library,
    units: loaded.units,
    unitsByPassage,
    dense: loaded.dense,
    lexical: loaded.lexical,
    offTopic: loaded.manifest.calibration?.offTopic,
    vectors: loaded.vectors
      ? (labels) => loaded.vectors!.read(labels)
      : (labels) => labels.map((label) => loaded.dense.getPoint(label)),
  };
}
