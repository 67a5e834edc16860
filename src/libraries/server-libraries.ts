/**
 * Per-server libraries: the books each Discord server adds with /library add, kept apart from every
 * other server's, beside the host's shared texts.
 *
 * - A server's library is one index, built from the shared texts (unless LECTERN_SHARED_TEXTS=false)
 *   and the server's own files, so a question is searched, decided and quoted over everything the
 *   server can see at once, exactly as the shared library is. The shared texts' vectors are taken from
 *   the shared index (reused by fingerprint), so only the server's own books are ever embedded.
 * - A server without texts of its own, and every DM, reads the shared library itself.
 * - Files and indexes live under `<LECTERN_DATA_DIR>/libraries/<guild id>/` (texts/, index/); an index
 *   is written atomically by the same build as the main index, so a failed or cancelled build leaves
 *   the server's library as it was, and an index being built is never searched.
 * - Records (file, hash, metadata, who added it and when) are in the store; a text is "queued" until
 *   its build is written, and only "ready" texts are part of the library. A restart finds the queued
 *   ones and builds them again (the build resumes from its checkpoint).
 * - Loaded indexes are bounded: the least recently asked is closed beyond `maxLoaded` and loaded again
 *   on its next question.
 *
 * Why ~400 lines: admission (limits, duplicates), the build of each kind (add, remove, refresh) and the
 * loaded set (LRU, swaps) share the same per-server state and read best together.
 */
import { mkdir, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { CoreConfig } from '../config.js';
import { fileHash, listTextFiles, type Library } from '../corpus/library.js';
import { SIDECAR_SUFFIX } from '../corpus/parse.js';
import { LecternError } from '../errors.js';
import type { BuildEvent, BuildResult } from '../index/build.js';
import { buildInWorker } from '../index/build-in-worker.js';
import { staleReasons } from '../index/locate.js';
import { loadCurrentIndex, readManifest, writeFileAtomic, type Manifest } from '../index/store.js';
import type { IndexEngine, Lectern } from '../lectern.js';
import { DuplicateTextError } from '../store/kysely-store.js';
import type { LibraryTextRecord, Store } from '../store/types.js';
import { BuildQueue, CANCELLED, SHUTDOWN } from './build-queue.js';
import { checkUpload } from './check-upload.js';
import type { LibrariesConfig } from './config.js';
import { formatMegabytes, UploadRefused } from './download.js';

/** What answers a place's questions: the shared library (the Lectern) or a server's own index. */
export type LibraryEngine = Lectern | IndexEngine;

/** How a build is getting on, for its progress message. */
export type BuildProgress =
  /** Waiting for the builds ahead of it: 1 is next. */
  | { stage: 'queued'; position: number }
  | { stage: 'reading' }
  /** `done` of `total` passages embedded; the rate and time left once there is a rate to tell. */
  | { stage: 'embedding'; done: number; total: number; perSecond?: number; secondsLeft?: number }
  | { stage: 'indexing' };

/** How a build ended. */
export type BuildOutcome =
  | { kind: 'added'; text: LibraryTextRecord }
  | { kind: 'removed'; text: LibraryTextRecord }
  | { kind: 'failed'; reason: string }
  | { kind: 'cancelled' }
  /** The process stopped during the build: the text stays queued and is built again on restart. */
  | { kind: 'interrupted' };

/** Told of one build's progress and end. */
export interface BuildReporter {
  progress(progress: BuildProgress): void;
  finished(outcome: BuildOutcome): void;
}

/** A book to add. */
export interface AddRequest {
  guildId: string;
  userId: string;
  /** The attachment's name as uploaded. */
  fileName: string;
  bytes: Uint8Array;
  /** Given with the command: override the file's own metadata. */
  title?: string;
  author?: string;
  now: number;
}

/** A download that has started, and where its progress message is (see ServerLibraries.noteDownload). */
export interface DownloadNote {
  guildId: string;
  interactionId: string;
  fileName: string;
  declaredBytes: number;
  userId: string;
  now: number;
  channelId: string;
  messageId: string;
}

/** A build accepted into the queue. */
export interface QueuedText {
  text: LibraryTextRecord;
  /** 0: building now; 1: next; … */
  position: number;
}

const DISCORD_ID = /^\d{1,25}$/;
/** The record of a download in flight (noteDownload): never a text file's name, which cannot start with a dot. */
const DOWNLOAD_PREFIX = '.download-';

export class ServerLibraries {
  private readonly queue = new BuildQueue();
  /** Loaded server indexes, least recently asked first. */
  private readonly loaded = new Map<string, IndexEngine>();
  private readonly loading = new Map<string, Promise<IndexEngine | null>>();
  /** Whether a server has texts of its own (ready ones), read once from the store and kept current here. */
  private readonly hasOwn = new Map<string, boolean>();
  /** Builds queued or running, by `${guildId}/${file}`, for Cancel. */
  private readonly cancels = new Map<string, () => void>();
  /** Admission of adds and removes, one at a time per server, so limits are checked against every earlier one. */
  private readonly admission = new Map<string, Promise<unknown>>();
  /** Servers with a refresh build (shared texts changed, index missing) queued or running. */
  private readonly refreshing = new Set<string>();
  private evictions = 0;
  private closed = false;

  constructor(
    private readonly shared: Lectern,
    private readonly store: Store,
    readonly config: LibrariesConfig,
    private readonly log: (event: string, fields: Record<string, unknown>) => void = () => undefined,
  ) {}

  /** What a place's questions are answered from: null when it can see no text at all. */
  async engineFor(guildId: string | null): Promise<LibraryEngine | null> {
    const sharedEngine = this.config.sharedTexts ? this.shared : null;
    if (guildId === null || !DISCORD_ID.test(guildId) || !(await this.hasOwnTexts(guildId))) return sharedEngine;
    const loaded = this.loaded.get(guildId);
    if (loaded && !loaded.closed) {
      this.touch(guildId, loaded);
      return loaded;
    }
    let loading = this.loading.get(guildId);
    if (!loading) {
      loading = this.load(guildId).finally(() => this.loading.delete(guildId));
      this.loading.set(guildId, loading);
    }
    // An index that cannot be read is being rebuilt (see load): meanwhile the server reads the shared texts.
    return (await loading) ?? sharedEngine;
  }

  /**
   * {@link engineFor}, with the engine kept open (not closed by an eviction or a swap) until `release`:
   * what a handler uses from looking it up to its last answer.
   */
  async borrow(guildId: string | null): Promise<{ engine: LibraryEngine | null; release: () => void }> {
    const engine = await this.engineFor(guildId);
    return { engine, release: engine && 'borrow' in engine ? engine.borrow() : () => undefined };
  }

  /** The shared library, or null when LECTERN_SHARED_TEXTS=false. */
  sharedLibrary(): Library | null {
    return this.config.sharedTexts ? this.shared.library : null;
  }

  /** The server's texts, queued ones included, oldest first. */
  texts(guildId: string): Promise<LibraryTextRecord[]> {
    return this.store.libraryTexts(guildId, { includeQueued: true });
  }

  /** Loaded indexes and evictions so far, for the bench and logs. */
  get stats(): { loaded: number; evictions: number } {
    return { loaded: this.loaded.size, evictions: this.evictions };
  }

  /**
   * Records an upload whose download has started, before anything else can fail: a crash during the
   * download then leaves a record the next start reports on ("add it again") instead of a command
   * acknowledged and never answered. {@link forgetDownload} removes it once the download has ended.
   */
  async noteDownload(download: DownloadNote): Promise<void> {
    this.checkGuild(download.guildId);
    const file = DOWNLOAD_PREFIX + download.interactionId;
    await this.store.queueLibraryText({
      guildId: download.guildId,
      file,
      originalName: download.fileName,
      hash: `download:${download.interactionId}`,
      bytes: download.declaredBytes,
      requestedTitle: null,
      requestedAuthor: null,
      addedBy: download.userId,
      addedAt: download.now,
    });
    await this.store.setLibraryProgressMessage(download.guildId, file, download.channelId, download.messageId);
  }

  /** The download noted by {@link noteDownload} has ended (the book is added, refused or failed). */
  async forgetDownload(guildId: string, interactionId: string): Promise<void> {
    await this.store.deleteLibraryText(guildId, DOWNLOAD_PREFIX + interactionId);
  }

  /**
   * Checks and stores a book, then queues its build. Throws {@link UploadRefused} with one line for a
   * file that is not a readable book, a duplicate, or one past a limit (naming the limit).
   */
  add(request: AddRequest, reporter: BuildReporter): Promise<QueuedText> {
    return this.admit(request.guildId, () => this.admitAdd(request, reporter));
  }

  private async admitAdd(request: AddRequest, reporter: BuildReporter): Promise<QueuedText> {
    const { guildId } = request;
    this.checkGuild(guildId);
    const { config } = this;
    if (request.bytes.length > config.maxFileBytes)
      throw new UploadRefused(
        `That file is ${formatMegabytes(request.bytes.length)}; the limit is ${formatMegabytes(config.maxFileBytes)} per book (LECTERN_LIBRARY_MAX_FILE_MB).`,
      );
    const checked = checkUpload(request.fileName, request.bytes, { maxUnpackedBytes: config.maxUnpackedBytes });
    const hash = fileHash(request.bytes);
    // Downloads in flight are not texts yet (the one being added is among them).
    const texts = (await this.texts(guildId)).filter((t) => !t.file.startsWith(DOWNLOAD_PREFIX));
    const same = texts.find((t) => t.hash === hash);
    if (same)
      throw new UploadRefused(
        same.state === 'ready'
          ? `That file is already in this server's library as “${same.title ?? same.originalName}”.`
          : `That file is already being added to this server's library.`,
      );
    const sharedCopy = this.config.sharedTexts
      ? this.shared.manifest.documents.find((d) => d.hash === hash)
      : undefined;
    if (sharedCopy)
      throw new UploadRefused(
        `That file is already in the shared library as “${this.shared.library.getDocument(sharedCopy.id)?.meta.title ?? sharedCopy.file}”.`,
      );
    if (texts.length >= config.maxTexts)
      throw new UploadRefused(
        `This server has ${texts.length} texts, the most it can have (LECTERN_LIBRARY_MAX_TEXTS); remove one with /library remove first.`,
      );
    const total = texts.reduce((sum, t) => sum + t.bytes, 0) + request.bytes.length;
    if (total > config.maxTotalBytes) {
      const size = formatMegabytes(total);
      const limit = formatMegabytes(config.maxTotalBytes);
      // Just past 1 MB shows as "1 MB", which would read "to 1 MB, past its 1 MB limit".
      throw new UploadRefused(
        `That would bring this server's library ${size === limit ? '' : `to ${size}, `}past its ${limit} limit (LECTERN_LIBRARY_MAX_TOTAL_MB); remove a text with /library remove first.`,
      );
    }
    const queued = texts.filter((t) => t.state === 'queued').length;
    if (queued >= config.maxQueuedPerServer)
      throw new UploadRefused(
        `This server already has ${queued} books waiting to be built, the most at once (LECTERN_LIBRARY_MAX_QUEUED); add this one when one of them is done.`,
      );

    const file = await this.storedName(guildId, checked.fileName, texts);
    const textsDir = this.textsDir(guildId);
    await mkdir(textsDir, { recursive: true });
    await writeFileAtomic(path.join(textsDir, file), Buffer.from(request.bytes));
    const overrides = {
      ...(request.title ? { title: request.title } : {}),
      ...(request.author ? { author: request.author } : {}),
    };
    if (Object.keys(overrides).length > 0)
      await writeFileAtomic(path.join(textsDir, file + SIDECAR_SUFFIX), JSON.stringify(overrides, null, 2) + '\n');
    let text: LibraryTextRecord;
    try {
      text = await this.store.queueLibraryText({
        guildId,
        file,
        originalName: request.fileName,
        hash,
        bytes: request.bytes.length,
        requestedTitle: request.title ?? null,
        requestedAuthor: request.author ?? null,
        addedBy: request.userId,
        addedAt: request.now,
      });
    } catch (error) {
      await this.deleteFiles(guildId, file);
      if (error instanceof DuplicateTextError)
        throw new UploadRefused(`That file is already in this server's library.`);
      throw error;
    }
    return { text, position: this.enqueueAdd(text, reporter) };
  }

  /**
   * Queues the removal of a ready text: the library is rebuilt without it (nothing is embedded again),
   * then its file and record go. Throws a LecternError with one line when it cannot be removed.
   */
  remove(guildId: string, file: string, reporter: BuildReporter): Promise<QueuedText> {
    return this.admit(guildId, async () => {
      this.checkGuild(guildId);
      const text = (await this.texts(guildId)).find((t) => t.file === file);
      if (!text) throw new LecternError('That text is not in this server’s library any more.');
      if (text.state !== 'ready')
        throw new LecternError('That text is still being added: use the Cancel button on its progress message.');
      const key = `${guildId}/${file}`;
      if (this.cancels.has(key)) throw new LecternError('That text is already being removed.');
      const club = (await this.store.clubs(guildId)).find((c) => c.textId === text.docId);
      if (club)
        throw new LecternError(
          `The reading club in <#${club.channelId}> is reading it: end the club with /club end first.`,
        );
      const { position, cancel } = this.queue.enqueue({
        guildId,
        onPosition: (p) => reporter.progress({ stage: 'queued', position: p }),
        run: (signal) => this.runRemove(text, reporter, signal).finally(() => this.cancels.delete(key)),
      });
      this.cancels.set(key, cancel);
      return { text, position };
    });
  }

  /** Cancels a queued or running build of the server's; false if there is none. */
  cancel(guildId: string, file: string): boolean {
    const cancel = this.cancels.get(`${guildId}/${file}`);
    cancel?.();
    return cancel !== undefined;
  }

  /**
   * Builds again the texts a restart left queued, for the servers `serves` (this process's own: with
   * PostgreSQL, other processes serve other servers). `reporterFor` reports on each one's progress message.
   */
  async resumeQueued(serves: (guildId: string) => boolean, reporterFor: (text: LibraryTextRecord) => BuildReporter) {
    const queued = (await this.store.queuedLibraryTexts()).filter((t) => serves(t.guildId));
    for (const text of queued) {
      const reporter = reporterFor(text);
      if (text.file.startsWith(DOWNLOAD_PREFIX)) {
        await this.store.deleteLibraryText(text.guildId, text.file);
        reporter.finished({ kind: 'failed', reason: 'the bot restarted while downloading it; add it again.' });
        continue;
      }
      const files = await listTextFiles(this.textsDir(text.guildId)).catch(() => [] as string[]);
      if (!files.includes(text.file)) {
        await this.store.deleteLibraryText(text.guildId, text.file);
        reporter.finished({ kind: 'failed', reason: 'its file was lost when the bot restarted; add it again.' });
        continue;
      }
      this.enqueueAdd(text, reporter);
    }
    return queued.length;
  }

  /** Stops the running build (left queued for the next start) and closes every loaded index. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.close();
    await Promise.all([...this.loaded.values()].map((engine) => engine.close()));
    this.loaded.clear();
  }

  // --- builds -------------------------------------------------------------

  private enqueueAdd(text: LibraryTextRecord, reporter: BuildReporter): number {
    const key = `${text.guildId}/${text.file}`;
    const { position, cancel } = this.queue.enqueue({
      guildId: text.guildId,
      onPosition: (p) => reporter.progress({ stage: 'queued', position: p }),
      run: (signal) => this.runAdd(text, reporter, signal).finally(() => this.cancels.delete(key)),
    });
    this.cancels.set(key, cancel);
    return position;
  }

  private async runAdd(text: LibraryTextRecord, reporter: BuildReporter, signal: AbortSignal): Promise<void> {
    const { guildId, file } = text;
    try {
      if (signal.aborted) throw new LecternError('cancelled before it started');
      const ready = (await this.store.libraryTexts(guildId)).map((t) => t.file);
      const result = await this.build(guildId, [...ready, file], reporter, signal);
      const built = result.manifest.documents.find((d) => d.file === file);
      if (!built) {
        const reason = result.manifest.skipped.find((s) => s.file === file)?.reason ?? 'it could not be read.';
        await this.discard(text);
        reporter.finished({ kind: 'failed', reason: reason.replace(file, text.originalName) });
        return;
      }
      const engine = await this.swapIn(guildId, result);
      const doc = engine.library.getDocument(built.id);
      const done = {
        docId: built.id,
        title: doc?.meta.title ?? text.originalName,
        author: doc?.meta.author || null,
        chapters: built.chapters,
        words: built.words,
      };
      await this.store.markLibraryTextReady(guildId, file, done);
      this.hasOwn.set(guildId, true);
      reporter.finished({ kind: 'added', text: { ...text, ...done, state: 'ready' } });
    } catch (error) {
      if (signal.aborted && signal.reason === SHUTDOWN) {
        reporter.finished({ kind: 'interrupted' });
        return;
      }
      await this.discard(text).catch(() => undefined);
      if (signal.aborted && signal.reason === CANCELLED) reporter.finished({ kind: 'cancelled' });
      else {
        this.log('library_build_failed', { guild: guildId, file, reason: reasonOf(error), error });
        reporter.finished({ kind: 'failed', reason: reasonOf(error) });
      }
    }
  }

  private async runRemove(text: LibraryTextRecord, reporter: BuildReporter, signal: AbortSignal): Promise<void> {
    const { guildId, file } = text;
    try {
      if (signal.aborted) throw new LecternError('cancelled before it started');
      const rest = (await this.store.libraryTexts(guildId)).map((t) => t.file).filter((f) => f !== file);
      if (rest.length === 0) {
        // Nothing of the server's own is left: it reads the shared library again, and its index goes.
        this.hasOwn.set(guildId, false);
        await this.unload(guildId);
        await rm(this.indexDir(guildId), { recursive: true, force: true });
      } else {
        await this.swapIn(guildId, await this.build(guildId, rest, reporter, signal));
      }
      await this.store.deleteLibraryText(guildId, file);
      await this.deleteFiles(guildId, file);
      reporter.finished({ kind: 'removed', text });
    } catch (error) {
      if (signal.aborted && signal.reason === SHUTDOWN) reporter.finished({ kind: 'interrupted' });
      else if (signal.aborted) reporter.finished({ kind: 'cancelled' });
      else reporter.finished({ kind: 'failed', reason: reasonOf(error) });
    }
  }

  /** Rebuilds a server's index from its ready texts (the shared texts changed, or its index was lost). */
  private refresh(guildId: string, why: string[]): void {
    if (this.refreshing.has(guildId) || this.closed) return;
    this.refreshing.add(guildId);
    this.log('library_refresh', { guild: guildId, reasons: why });
    const silent: BuildReporter = { progress: () => undefined, finished: () => undefined };
    this.queue.enqueue({
      guildId,
      run: async (signal) => {
        try {
          const ready = (await this.store.libraryTexts(guildId)).map((t) => t.file);
          if (ready.length > 0) await this.swapIn(guildId, await this.build(guildId, ready, silent, signal));
          this.log('library_refreshed', { guild: guildId });
        } catch (error) {
          this.log('library_refresh_failed', { guild: guildId, reason: reasonOf(error), error });
        } finally {
          this.refreshing.delete(guildId);
        }
      },
    });
  }

  /** Builds the server's index from the shared texts and `files` of its own, in a worker thread. */
  private build(guildId: string, files: string[], reporter: BuildReporter, signal: AbortSignal): Promise<BuildResult> {
    reporter.progress({ stage: 'reading' });
    let started: number | undefined;
    const onEvent = (event: BuildEvent) => {
      if (event.stage === 'embedding') {
        started ??= performance.now();
        const seconds = (performance.now() - started) / 1000;
        const perSecond = seconds > 1 && event.done > 0 ? event.done / seconds : undefined;
        reporter.progress({
          stage: 'embedding',
          done: event.done,
          total: event.total,
          perSecond,
          secondsLeft: perSecond ? (event.total - event.done) / perSecond : undefined,
        });
      } else if (event.stage === 'indexing') reporter.progress({ stage: 'indexing' });
    };
    return buildInWorker(this.buildConfig(guildId, files), { onEvent, signal });
  }

  /** The core configuration of a server's build: its texts, its index folder, the shared index to reuse. */
  private buildConfig(guildId: string, files: readonly string[]): CoreConfig {
    const core = this.shared.config;
    return {
      ...core,
      textsDir: this.textsDir(guildId),
      textSources: [
        ...(this.config.sharedTexts ? [{ dir: core.textsDir }] : []),
        { dir: this.textsDir(guildId), files },
      ],
      indexDir: this.indexDir(guildId),
      // The shared index, read-only, as the source of the shared texts' vectors (they are never embedded again).
      bundledIndexDir: this.shared.indexDir,
    };
  }

  // --- the loaded set -------------------------------------------------------

  private async load(guildId: string): Promise<IndexEngine | null> {
    const indexDir = this.indexDir(guildId);
    const manifest = await readManifest(indexDir).catch(() => null);
    if (!manifest || !this.fitsModel(manifest)) {
      this.refresh(guildId, [manifest ? 'it was built for another model' : 'its index is missing or damaged']);
      return null;
    }
    const ready = (await this.store.libraryTexts(guildId)).map((t) => t.file);
    const reasons = await staleReasons(this.buildConfig(guildId, ready), manifest);
    // Serve what is there while a stale index (the shared texts changed) is rebuilt, as the shared library does.
    if (reasons.length > 0) this.refresh(guildId, reasons);
    let engine: IndexEngine;
    try {
      engine = this.shared.serveIndex(await loadCurrentIndex(indexDir, manifest));
    } catch (error) {
      this.refresh(guildId, [reasonOf(error)]);
      return null;
    }
    const current = this.loaded.get(guildId);
    if (current && !current.closed) {
      // A build finished while this loaded: it is newer.
      void engine.close();
      return current;
    }
    this.touch(guildId, engine);
    return engine;
  }

  private fitsModel(manifest: Manifest): boolean {
    const model = this.shared.config.model;
    return (
      manifest.model.id === model.id &&
      manifest.model.dtype === model.dtype &&
      manifest.model.queryPrefix === model.queryPrefix &&
      manifest.model.dimension === this.shared.manifest.model.dimension
    );
  }

  /** Serves a finished build of the server's; the one it replaces closes when its answers end. */
  private async swapIn(guildId: string, result: BuildResult): Promise<IndexEngine> {
    const engine = this.shared.serveIndex(await loadCurrentIndex(result.indexDir, result.manifest));
    const previous = this.loaded.get(guildId);
    this.touch(guildId, engine);
    if (previous && previous !== engine) void previous.close();
    return engine;
  }

  private touch(guildId: string, engine: IndexEngine): void {
    this.loaded.delete(guildId);
    this.loaded.set(guildId, engine);
    for (const [oldest, evicted] of this.loaded) {
      if (this.loaded.size <= this.config.maxLoaded) break;
      this.loaded.delete(oldest);
      this.evictions++;
      void evicted.close();
      this.log('library_evicted', { guild: oldest, loaded: this.loaded.size });
    }
  }

  private async unload(guildId: string): Promise<void> {
    const engine = this.loaded.get(guildId);
    this.loaded.delete(guildId);
    await engine?.close();
  }

  // --- files and records ----------------------------------------------------

  private async hasOwnTexts(guildId: string): Promise<boolean> {
    let own = this.hasOwn.get(guildId);
    if (own === undefined) {
      own = (await this.store.libraryTexts(guildId)).length > 0;
      this.hasOwn.set(guildId, own);
    }
    return own;
  }

  /** `name`, or `name-2`, `name-3` … : unique among the server's files and the shared texts (a library's file names are). */
  private async storedName(guildId: string, name: string, texts: readonly LibraryTextRecord[]): Promise<string> {
    const taken = new Set(texts.map((t) => t.file.toLowerCase()));
    if (this.config.sharedTexts)
      for (const file of await listTextFiles(this.shared.config.textsDir).catch(() => [] as string[]))
        taken.add(file.toLowerCase());
    for (const file of await listTextFiles(this.textsDir(guildId)).catch(() => [] as string[]))
      taken.add(file.toLowerCase());
    const ext = path.extname(name);
    const stem = name.slice(0, name.length - ext.length);
    let candidate = name;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}${ext}`;
    return candidate;
  }

  /** Forgets a text whose build failed or was cancelled: its record and its file. */
  private async discard(text: LibraryTextRecord): Promise<void> {
    await this.store.deleteLibraryText(text.guildId, text.file);
    await this.deleteFiles(text.guildId, text.file);
  }

  private async deleteFiles(guildId: string, file: string): Promise<void> {
    for (const name of [file, file + SIDECAR_SUFFIX])
      await unlink(path.join(this.textsDir(guildId), name)).catch(() => undefined);
  }

  private admit<T>(guildId: string, work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new LecternError('Lectern is shutting down; try again in a moment.'));
    const previous = this.admission.get(guildId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.admission.set(guildId, settled);
    void settled.then(() => {
      if (this.admission.get(guildId) === settled) this.admission.delete(guildId);
    });
    return next;
  }

  private checkGuild(guildId: string): void {
    // The id becomes a folder name: only a Discord snowflake may.
    if (!DISCORD_ID.test(guildId)) throw new LecternError('Books can be added only in a server.');
  }

  private textsDir(guildId: string): string {
    return path.join(this.config.dir, guildId, 'texts');
  }

  private indexDir(guildId: string): string {
    return path.join(this.config.dir, guildId, 'index');
  }
}

/** One line for a reader: a LecternError's message, else a generic one (the details go to the log). */
function reasonOf(error: unknown): string {
  return error instanceof LecternError ? error.message : 'the build failed unexpectedly; nothing was changed.';
}
