import Foundation
import NightshiftCore

/// The one way documents become files, for any kind of document. A batch is drawn on every core,
/// each document to `<name>.partial`, read back with poppler and checked, its SHA-256 taken; the
/// good ones are then made durable together and renamed to their final names. A document that
/// fails its check never takes its final name. `run` overlaps the stages: while a batch is drawn
/// in the background, the calling thread commits the batch before and fetches the one after (so a
/// database connection is only ever used from that thread).
public struct DocumentPipeline<Item: Sendable>: Sendable {
    /// A drawn and checked file, still under its partial name until `makeDurable`.
    public struct Drawn: Sendable {
        public let item: Item
        public let path: String
        public let sha256: String
    }

    public typealias Outcome = (item: Item, result: Result<Drawn, Error>)

    public let directory: String
    let fontFamily: String
    let fileName: @Sendable (Item) -> String
    let draw: @Sendable (Item, EmbeddedFont, _ path: String) throws -> Void
    let check: @Sendable (Item, PDFText) throws -> Void

    /// `fileName` names an item's file in `directory`; `draw` writes it with `fontFamily`'s
    /// faces; `check` throws when what poppler reads back is not what the document must say.
    public init(directory: String, fontFamily: String, fileName: @escaping @Sendable (Item) -> String,
                draw: @escaping @Sendable (Item, EmbeddedFont, _ path: String) throws -> Void,
                check: @escaping @Sendable (Item, PDFText) throws -> Void) {
        self.directory = directory
        self.fontFamily = fontFamily
        self.fileName = fileName
        self.draw = draw
        self.check = check
    }

    public func finalPath(_ item: Item) -> String { "\(directory)/\(fileName(item))" }
    func partialPath(_ item: Item) -> String { finalPath(item) + ".partial" }

    /// Creates the directory and any missing parent (each made durable), and removes what a killed
    /// run left half-written. The caller holds the job's lock, so no other run is writing here.
    public func open() throws {
        var missing: [String] = []
        var path = directory
        while !FileManager.default.fileExists(atPath: path), path != "/", path != "." {
            missing.append(path)
            path = DurableFiles.parent(of: path)
        }
        for path in missing.reversed() { try DurableFiles.makeDirectory(path) }
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".partial") {
            try DurableFiles.remove("\(directory)/\(name)")
        }
    }

    /// Draws the batches `fetch` gives (it is passed the last item of the batch before, nil at
    /// first; an empty batch ends the run) and hands each drawn batch to `commit`, with each
    /// item's drawn file or error, while the next batch is drawn.
    public func run(fetch: (_ after: Item?) throws -> [Item], commit: ([Outcome]) throws -> Void) throws {
        var batch = try fetch(nil)
        var drawn: [Outcome]?
        while true {
            let drawing = BatchDrawing(batch, self)
            let next: [Item]
            do {
                if let drawn { try commit(drawn) }
                next = try batch.last.map { try fetch($0) } ?? []
            } catch {
                _ = drawing.wait()  // no file is being written once we return
                throw error
            }
            drawn = drawing.wait()
            if batch.isEmpty { return }
            batch = next
        }
    }

    /// Gives drawn files their final names: one `syncfs` for all their contents, the renames, one
    /// directory sync. A file whose rename an interrupted attempt already made is left as it is.
    public func makeDurable(_ files: [Drawn]) throws {
        let pending = files.filter { FileManager.default.fileExists(atPath: $0.path) }
        try DurableFiles.commitAll(pending.map { ($0.path, finalPath($0.item)) }, in: directory)
    }

    /// Draws and checks a batch on every core. A failed document's partial file is removed.
    func drawAll(_ batch: [Item]) -> [Outcome] {
        let results = ResultSlots<Drawn>(count: batch.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, batch.count))
        let queue = IndexDispenser(count: batch.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            do {
                try EmbeddedFont.withFonts(family: fontFamily) { font in
                    while let index = queue.next() {
                        let item = batch[index], path = partialPath(item)
                        let result = Result {
                            try draw(item, font, path)
                            try check(item, try PDFText.read(path))
                            return Drawn(item: item, path: path, sha256: try FileDigest.sha256(ofFile: path))
                        }
                        if case .failure = result { try? DurableFiles.remove(path) }
                        results.set(index, result)
                    }
                }
            } catch {
                while let index = queue.next() { results.set(index, .failure(error)) }
            }
        }
        return zip(batch, results.values).map { ($0, $1) }
    }
}

/// A batch being drawn in the background; `wait` returns its outcomes.
private final class BatchDrawing<Item: Sendable>: @unchecked Sendable {
    private var outcomes: [DocumentPipeline<Item>.Outcome] = []
    private let finished = DispatchGroup()

    init(_ batch: [Item], _ pipeline: DocumentPipeline<Item>) {
        guard !batch.isEmpty else { return }
        DispatchQueue.global().async(group: finished) {
            self.outcomes = pipeline.drawAll(batch)
        }
    }

    func wait() -> [DocumentPipeline<Item>.Outcome] {
        finished.wait()
        return outcomes
    }
}

/// Results written by concurrent workers, each to its own index.
private final class ResultSlots<Value>: @unchecked Sendable {
    private var slots: [Result<Value, Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<Value, Error>) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [Result<Value, Error>] {
        slots.map { $0 ?? .failure(DocumentError("not rendered")) }
    }
}
