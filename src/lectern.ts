/**
 * Lectern, the engine as one object: the library, the model and the index,
 * loaded once and kept current (a reader lease on the build in use, a watch on
 * the manifest that swaps in a build made by another process, a background
 * rebuild when the index is stale), and the questions asked of them (ask,
 * converse, discussion starters). The CLI, the terminal chat and the Discord
 * bot (as BotEngine) all use it.
 *
 * Why ~450 lines: serving an index that can change underneath (issue 17: a
 * rebuild beside a running bot) is one state machine (open → serve → swap →
 * close) and reads best in one place; the answer path itself is src/search.
 */
import { watch, watchFile, unwatchFile, type FSWatcher, type Stats } from 'node:fs';
import path from 'node:path';
import { discussionStarters, type ChapterOrdinalRange } from './club/discussion-starters.js';
import type { CoreConfig } from './config.js';
import { loadCoreConfig } from './config.js';
import type { Library } from './corpus/library.js';
import { Embedder } from './embed/embedder.js';
import { LecternError } from './errors.js';
import { buildIndex, locateIndex, type BuildEvent, type BuildResult, type IndexLocation } from './index/build.js';
import { buildInWorker } from './index/build-in-worker.js';
import {
  loadCurrentIndex,
  loadIndex,
  MANIFEST_FILE,
  readManifest,
  type LoadedIndex,
  type Manifest,
} from './index/store.js';
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
import type { Answer, Passage } from './types.js';

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

/**
 * How often a serving process looks at the index folder's manifest for a build
 * written by another process, besides the file-system events that usually tell
 * it at once (fs.watch misses events on some network and container file
 * systems). One stat() per interval: nothing next to an answer's 20 ms.
 */
export const MANIFEST_POLL_MS = 2000;

export interface OpenOptions {
  /** Overrides of the configuration read from the environment. */
  config?: Partial<Pick<CoreConfig, 'textsDir' | 'indexDir'>> & Partial<CoreConfig>;
  /** Default "fail": stop with a message naming `npm run embed`. */
  onStale?: StalePolicy;
  /** Progress of a rebuild (before serving with "rebuild" or "background", or in the background). */
  onBuildEvent?: (event: BuildEvent) => void;
  /**
   * Told why an index is being rebuilt, and whether answers wait for it
   * ("before-serving": nothing loadable to answer from) or come from the
   * current index meanwhile ("background").
   */
  onRebuild?: (reasons: string[], mode: 'before-serving' | 'background') => void;
  /**
   * Told when a new build has replaced the one answers came from (a background
   * rebuild of this process, or a build another process wrote into the index
   * folder), or why a background rebuild or load failed (the current index is kept).
   */
  onSwap?: (outcome: { manifest: Manifest } | { error: string }) => void;
}

/**
 * What answers read: swapped as a whole, so an answer never mixes two builds.
 * An answer under way holds the one it started on (`users`); a build replaced
 * by a newer one is closed (its vector file, its lease on the folder) once the
 * last of those answers has finished.
 */
interface Served {
  manifest: Manifest;
  /** The folder the build lives in: the index folder, or the read-only bundled index. */
  indexDir: string;
  index: SearchIndex;
  loaded: LoadedIndex;
  users: number;
  retired: boolean;
}

/**
 * The question-answering engine over one library: model, index and search,
 * loaded once and shared by the terminal chat, the CLI and the Discord bot.
 *
 * A serving Lectern follows the index folder: when another process writes a
 * new build there (`npm run embed` beside a running bot), it loads it in the
 * background and swaps it in, as after its own background rebuild; until then,
 * and for answers already under way, it answers from the build it holds, whose
 * folder the builder leaves in place (store.ts, "Reader leases").
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
  /** A load of a build another process wrote, under way; `again` when the manifest changed meanwhile. */
  private following: { again: boolean } | null = null;
  private watcher?: FSWatcher;
  private readonly manifestFile: string;
  private readonly onManifestStat = (current: Stats, previous: Stats) => {
    if (current.mtimeMs !== previous.mtimeMs || current.ino !== previous.ino) this.followIndexFolder();
  };

  private constructor(
    readonly config: CoreConfig,
    location: { indexDir: string; loaded: LoadedIndex },
    private readonly embedder: Embedder,
    private readonly onSwap?: OpenOptions['onSwap'],
    /** A build of the index folder seen at opening and not served (stale): not swapped in unless it changes. */
    private passedOver?: string,
  ) {
    this.served = this.serve(location.indexDir, location.loaded);
    this.manifestFile = path.join(config.indexDir, MANIFEST_FILE);
    // Both unref'd (persistent: false): following the folder never keeps a process alive.
    watchFile(this.manifestFile, { interval: MANIFEST_POLL_MS, persistent: false }, this.onManifestStat);
    try {
      this.watcher = watch(config.indexDir, { persistent: false }, (_event, name) => {
        if (name === MANIFEST_FILE) this.followIndexFolder();
      });
      this.watcher.on('error', () => undefined); // the stat poll still follows
    } catch {
      // No index folder yet (the bundled index is served): the stat poll sees the first build appear.
    }
  }

  private serve(indexDir: string, loaded: LoadedIndex): Served {
    loaded.dense.setEf(this.config.hnsw.efSearch);
    return { manifest: loaded.manifest, indexDir, index: toSearchIndex(loaded), loaded, users: 0, retired: false };
  }

  /** Makes `loaded` the build answers come from; the one it replaces is closed when its answers finish. */
  private swapIn(indexDir: string, loaded: LoadedIndex): void {
    if (this.closed) {
      void loaded.close();
      return;
    }
    const previous = this.served;
    this.served = this.serve(indexDir, loaded);
    void this.retire(previous);
  }

  private async retire(served: Served): Promise<void> {
    served.retired = true;
    if (served.users === 0) await served.loaded.close().catch(() => undefined);
  }

  /** Runs `work` on the build served now, keeping it open until `work` ends. */
  private async withServed<T>(work: (index: SearchIndex) => Promise<T>): Promise<T> {
    const served = this.served;
    served.users++;
    try {
      return await work(served.index);
    } finally {
      served.users--;
      if (served.retired && served.users === 0) void served.loaded.close().catch(() => undefined);
    }
  }

  /**
   * Loads the build another process wrote into the index folder, if it fits
   * this engine's model, and swaps it in. Calls while a load runs make it look
   * again when done; a rebuild of this process swaps its own build in itself.
   */
  private followIndexFolder(): void {
    if (this.closed) return;
    if (this.following) {
      this.following.again = true;
      return;
    }
    const following = { again: false };
    this.following = following;
    void (async () => {
      do {
        following.again = false;
        if (this.running || this.closed) break;
        const manifest = await readManifest(this.config.indexDir).catch(() => null);
        if (!manifest || manifest.dir === this.passedOver) continue;
        const served = this.served;
        if (served.indexDir === this.config.indexDir && served.manifest.dir === manifest.dir) continue;
        if (
          manifest.model.id !== this.config.model.id ||
          manifest.model.dtype !== this.config.model.dtype ||
          manifest.model.queryPrefix !== this.config.model.queryPrefix ||
          manifest.model.dimension !== this.embedder.dimension
        )
          continue; // built for another model: its vectors cannot answer this one's questions
        try {
          const loaded = await loadCurrentIndex(this.config.indexDir, manifest);
          this.swapIn(this.config.indexDir, loaded);
          if (!this.closed) this.onSwap?.({ manifest: loaded.manifest });
        } catch (error) {
          this.onSwap?.({ error: error instanceof Error ? error.message : String(error) });
        }
      } while (following.again);
    })().finally(() => {
      this.following = null;
    });
  }

  /** The manifest of the index answers come from now. */
  get manifest(): Manifest {
    return this.served.manifest;
  }

  /** The folder of the build answers come from now (the index folder, or the read-only bundled index). */
  get indexDir(): string {
    return this.served.indexDir;
  }

  /** Loads the index and the model, checking that they match the texts. */
  static async open(options: OpenOptions = {}): Promise<Lectern> {
    const config: CoreConfig = { ...loadCoreConfig(), ...options.config };
    // Naming the index folder means that folder is the index, as LECTERN_INDEX_DIR does (config.ts).
    if (options.config?.indexDir !== undefined && !('bundledIndexDir' in options.config)) delete config.bundledIndexDir;
    const policy = options.onStale ?? 'fail';
    const found: IndexLocation = await locateIndex(config).catch((error: unknown) => {
      if (policy === 'rebuild') {
        return { indexDir: config.indexDir, manifest: null, reasons: ['there is no index yet'], bundled: false };
      }
      throw error;
    });
    const { reasons } = found;
    /** Loads a build for serving: leased, unless it is the read-only bundled index. */
    const load = (indexDir: string, manifest: Manifest) =>
      indexDir === config.indexDir ? loadCurrentIndex(indexDir, manifest) : loadIndex(indexDir, manifest);
    // The build of the index folder not served because it is stale: not swapped in by following the folder.
    const passedOver = found.bundled ? undefined : reasons.length > 0 ? found.manifest?.dir : undefined;
    // A current index is read while the model loads: both take about as long (0.8 s on a 3 MB library).
    const current =
      found.manifest && reasons.length === 0
        ? load(found.indexDir, found.manifest).then(
            (loaded) => ({ loaded }),
            (error: unknown) => ({ error }),
          )
        : undefined;
    const embedder = await Embedder.load(config.model);
    const open = (indexDir: string, loaded: LoadedIndex, skip?: string) =>
      new Lectern(config, { indexDir, loaded }, embedder, options.onSwap, skip);
    if (
      policy === 'background' &&
      reasons.length > 0 &&
      found.manifest &&
      found.manifest.model.dimension === embedder.dimension
    ) {
      const stale = await load(found.indexDir, found.manifest).catch(() => null);
      if (stale) {
        const lectern = open(found.indexDir, stale, passedOver);
        options.onRebuild?.(reasons, 'background');
        lectern.rebuild({ onBuildEvent: options.onBuildEvent }).then(
          (m) => options.onSwap?.({ manifest: m }),
          (error: unknown) => options.onSwap?.({ error: error instanceof Error ? error.message : String(error) }),
        );
        return lectern;
      }
    }
    const rebuild = async (why: string[], force = false): Promise<BuildResult> => {
      options.onRebuild?.(why, 'before-serving');
      return buildIndex(config, { embedder, force, onEvent: options.onBuildEvent });
    };
    try {
      let manifest = found.manifest;
      let indexDir = found.indexDir;
      if (reasons.length > 0) {
        if (policy === 'fail') {
          throw new LecternError(
            manifest && !found.bundled
              ? `The index in ${indexDir} is out of date: ${reasons.join('; ')}. Rebuild it with \`npm run embed\`.`
              : manifest
                ? `No index in ${config.indexDir}, and the bundled index does not fit the texts (${reasons.join('; ')}). Build it with \`npm run embed\`.`
                : `No index in ${config.indexDir}. Build it with \`npm run embed\`.`,
          );
        }
        ({ manifest, indexDir } = await rebuild(reasons));
      }
      if (!manifest) throw new LecternError(`No index in ${config.indexDir}. Build it with \`npm run embed\`.`);
      if (manifest.model.dimension !== embedder.dimension && policy === 'rebuild') {
        ({ manifest, indexDir } = await rebuild(
          [`the index has ${manifest.model.dimension}-dimensional vectors but the model makes ${embedder.dimension}`],
          true,
        ));
      }
      if (manifest.model.dimension !== embedder.dimension) {
        throw new LecternError(
          `The index has ${manifest.model.dimension}-dimensional vectors but the model makes ${embedder.dimension}. Rebuild it with \`npm run embed\`.`,
        );
      }
      if (manifest !== found.manifest) {
        // Rebuilt: the build read early is not the one served.
        const early = await current;
        if (early && 'loaded' in early) await early.loaded.close();
      }
      let loaded: LoadedIndex;
      try {
        const early = manifest === found.manifest ? await current : undefined;
        if (early && 'error' in early) throw early.error;
        loaded = early?.loaded ?? (await load(indexDir, manifest));
      } catch (error) {
        if (policy !== 'rebuild') throw error;
        ({ manifest, indexDir } = await rebuild(
          [error instanceof Error ? error.message : 'the index cannot be read'],
          true,
        ));
        loaded = await load(indexDir, manifest);
      }
      return open(indexDir, loaded);
    } catch (error) {
      const early = await current;
      if (early && 'loaded' in early) await early.loaded.close();
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
        const served = this.served;
        if (served.indexDir === result.indexDir && served.manifest.dir === result.manifest.dir) return result.manifest;
        const loaded =
          result.indexDir === this.config.indexDir
            ? await loadCurrentIndex(result.indexDir, result.manifest)
            : await loadIndex(result.indexDir, result.manifest);
        this.swapIn(result.indexDir, loaded);
        return loaded.manifest;
      })
      .finally(() => {
        this.running = null;
        // A build another process finished while this one ran was left for now: look again.
        this.followIndexFolder();
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
    return this.withServed((index) =>
      options.followUpOf
        ? answerMessage(index, this.embedQuery, question, options, this.conversations)
        : answerQuestion(index, this.embedQuery, question, options),
    );
  }

  /**
   * The one store of conversation state (see ConversationStore): each answer's state under its id,
   * the last answer of each key for {@link converse}, the answers to topics for replies
   * (`followUpOf`), and the topics' follow-up searches. Bounded in number and time.
   */
  readonly conversations = new ConversationStore();

  /**
   * Answers one message of the conversation under `key` ("terminal"; on Discord a channel and user):
   * a new question, or a follow-up of the last one ("why?", "who else?", "tell me more").
   */
  async converse(key: string, message: string, options: ConverseOptions = {}): Promise<ConversationTurn> {
    const turn = await this.withServed((index) =>
      converse(index, this.embedQuery, message, this.conversations.get(key), options, this.conversations),
    );
    this.conversations.set(key, turn.conversation);
    return turn;
  }

  /**
   * Three passages of chapters `range.from`…`range.to` of `docId` to open a reading group's
   * discussion with, verbatim and in reading order (src/club/discussion-starters.ts has the method).
   * Fewer when the week has fewer usable passages; an unknown text is a LecternError.
   */
  discussionStarters(docId: string, range: ChapterOrdinalRange): Passage[] {
    const doc = this.library.getDocument(docId);
    if (!doc) throw new LecternError(`No text with id "${docId}".`);
    return discussionStarters(doc, range);
  }

  private readonly embedQuery = async (text: string): Promise<Float32Array> =>
    (await this.embedder.embedQueries([text]))[0]!;

  /**
   * Serves another built index (a server's library, src/libraries) with this engine's model and
   * conversation store: the model is loaded once per process, however many libraries are served.
   * The index must have been built for this engine's model (the caller checks its manifest).
   */
  serveIndex(loaded: LoadedIndex): IndexEngine {
    if (this.closed) throw new LecternError('This Lectern is closed.');
    loaded.dense.setEf(this.config.hnsw.efSearch);
    return new IndexEngine(loaded, {
      ask: (index, question, options) =>
        options.followUpOf
          ? answerMessage(index, this.embedQuery, question, options, this.conversations)
          : answerQuestion(index, this.embedQuery, question, options),
      converse: async (index, key, message, options) => {
        const turn = await converse(
          index,
          this.embedQuery,
          message,
          this.conversations.get(key),
          options,
          this.conversations,
        );
        this.conversations.set(key, turn.conversation);
        return turn;
      },
    });
  }

  /** Stops a running rebuild (its build leaves the index on disk as it was) and frees the model and the index. */
  async close(): Promise<void> {
    this.closed = true;
    unwatchFile(this.manifestFile, this.onManifestStat);
    this.watcher?.close();
    const running = this.running;
    if (running) {
      running.stop.abort();
      await running.done.catch(() => undefined);
    }
    await this.retire(this.served);
    await this.embedder.dispose();
  }
}

/** How an {@link IndexEngine} answers: its Lectern's model and conversation store. */
interface IndexAnswerer {
  ask(index: SearchIndex, question: string, options: AskOptions): Promise<AnswerWithEvidence>;
  converse(index: SearchIndex, key: string, message: string, options: ConverseOptions): Promise<ConversationTurn>;
}

/**
 * One built index served beside the Lectern that made it ({@link Lectern.serveIndex}): the questions of
 * one server's library. Closing it (an eviction, or a newer build swapped in) waits for the answers
 * under way on it, as the Lectern's own swap does; an answer never mixes two builds.
 */
export class IndexEngine {
  private readonly index: SearchIndex;
  private users = 0;
  private retired = false;
  private closing?: Promise<void>;

  constructor(
    private readonly loaded: LoadedIndex,
    private readonly answerer: IndexAnswerer,
  ) {
    this.index = toSearchIndex(loaded);
  }

  get manifest(): Manifest {
    return this.loaded.manifest;
  }

  get library(): Library {
    return this.index.library;
  }

  get indexId(): string {
    return this.loaded.manifest.buildId;
  }

  /** True once closed: a caller holding it looks up the current engine of its library again. */
  get closed(): boolean {
    return this.retired;
  }

  async ask(question: string, options: AskOptions = {}): Promise<Answer> {
    return (await this.askWithEvidence(question, options)).answer;
  }

  askWithEvidence(question: string, options: AskOptions = {}): Promise<AnswerWithEvidence> {
    return this.using(() => this.answerer.ask(this.index, question, options));
  }

  converse(key: string, message: string, options: ConverseOptions = {}): Promise<ConversationTurn> {
    return this.using(() => this.answerer.converse(this.index, key, message, options));
  }

  discussionStarters(docId: string, range: ChapterOrdinalRange): Passage[] {
    const doc = this.library.getDocument(docId);
    if (!doc) throw new LecternError(`No text with id "${docId}".`);
    return discussionStarters(doc, range);
  }

  /**
   * Keeps the index open until `release` is called, even if it is evicted or replaced meanwhile: a
   * handler that looked it up and has not asked yet (a Discord interaction) must still find it open.
   */
  borrow(): () => void {
    this.users++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users--;
      if (this.retired && this.users === 0) void this.close();
    };
  }

  private async using<T>(work: () => Promise<T>): Promise<T> {
    this.users++;
    try {
      return await work();
    } finally {
      this.users--;
      if (this.retired && this.users === 0) void this.close();
    }
  }

  /** Frees the index (its vector file, its lease on the folder) once the answers under way on it end. */
  close(): Promise<void> {
    this.retired = true;
    if (this.users > 0) return Promise.resolve();
    return (this.closing ??= this.loaded.close().catch(() => undefined));
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
