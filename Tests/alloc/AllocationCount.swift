#if canImport(Glibc)
import Glibc
#endif

/// Heap allocations made on the calling thread, as counted by count-allocations.c, which
/// check-allocations.sh preloads (LD_PRELOAD). Without it there is nothing to count with.
enum AllocationCount {
    private typealias Reader = @convention(c) () -> UInt64

    private static let reader: Reader? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "improv_alloc_count") else { return nil }
        return unsafeBitCast(symbol, to: Reader.self)
        #else
        return nil
        #endif
    }()

    static var isLoaded: Bool { reader != nil }

    /// Allocations so far on this thread.
    static var now: UInt64 { reader?() ?? 0 }

    /// How many allocations `body` makes on this thread.
    static func of(_ body: () -> Void) -> UInt64 {
        let before = now
        body()
        return now &- before
    }
}
