#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Runs `body(0..<count)` on `jobs` POSIX threads, each taking the next
/// index from a shared counter, and returns the results in index order.
/// Plain threads, not Dispatch or Foundation: the keel executable links
/// statically and needs nothing more.
public func parallelMap<T: Sendable>(count: Int, jobs: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    let results = Mutex<[T?]>(Array(repeating: nil, count: count))
    let next = Atomic<Int>(0)
    let work: @Sendable () -> Void = {
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= count { return }
            let r = body(i)
            results.withLock { $0[i] = r }
        }
    }
    let threads = max(1, min(jobs, count))
    if threads == 1 {
        work()
    } else {
        var ids: [pthread_t] = []
        for _ in 0..<threads {
            let box = Unmanaged.passRetained(WorkBox(work)).toOpaque()
            var id = pthread_t()
            if pthread_create(&id, nil, { raw in
                Unmanaged<WorkBox>.fromOpaque(raw!).takeRetainedValue().work()
                return nil
            }, box) == 0 {
                ids.append(id)
            } else {
                Unmanaged<WorkBox>.fromOpaque(box).release()
            }
        }
        if ids.isEmpty { work() }
        for id in ids { pthread_join(id, nil) }
    }
    return results.withLock { $0.map { $0! } }
}

private final class WorkBox: Sendable {
    let work: @Sendable () -> Void
    init(_ work: @escaping @Sendable () -> Void) { self.work = work }
}
