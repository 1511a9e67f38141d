import CSpawn

public enum ProcessMemory {
    /// glibc gives a thread that meets contention an arena of its own (up to eight per core) and
    /// keeps in each what it once held: with large pages parsed on many threads, the peak grew
    /// with the thread count. Call before starting the threads.
    public static func limitMallocArenas(_ count: Int32 = 2) {
        _ = ns_limit_malloc_arenas(count)
    }
}
