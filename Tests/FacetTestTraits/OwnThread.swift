import Foundation
import Testing

/// Runs `body` in the calling test's task, with its synchronous parts on a thread of its own instead of a thread of
/// Swift's cooperative pool.
///
/// The pool has one thread per core (two on CI). A test that computes for seconds without suspending (a simulation,
/// a property sweep, a demo history and a model trained on it) holds one of them for that long, and a few such tests in
/// parallel hold them all: every other test's `Task.sleep` and I/O then waits, and a test polling a real process
/// against a deadline fails although the process answered (seen on CI: no test made progress for 156 s). Work run
/// here shares the cores with everything else through the kernel's scheduler instead. The body stays in the test's
/// task (a task executor preference, SE-0417), so `#expect` and `Issue.record` still belong to the test.
public func onOwnThread<T, Failure: Error>(
    _ body: () async throws(Failure) -> T
) async throws(Failure) -> T {
    let executor = OwnThreadExecutor()
    defer { executor.finish() }
    return try await withTaskExecutorPreference(executor, operation: body)
}

/// A task executor with one thread, which ends once `finish()` was called and its queue is empty.
public final class OwnThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs = [UnownedJob]()
    private var finished = false

    private static let marker = "facet-test-own-thread"

    /// Whether the caller runs on a thread of an `OwnThreadExecutor`.
    public static var isCurrentThread: Bool { Thread.current.threadDictionary[marker] as? Bool == true }

    public init() {
        let thread = Thread { [self] in
            // Marked for `isCurrentThread`.
            Thread.current.threadDictionary[Self.marker] = true
            self.work()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once it has run what is queued.
    public func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// `@Suite(.onOwnThread)` (or on one `@Test`): each test runs with its synchronous parts on a thread of its own
/// (`onOwnThread`). For suites that compute for seconds without suspending; the others keep the pool.
public struct OwnThreadTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // A suite is scoped once as a whole (no test case) and then per test: only the tests need the thread.
        guard testCase != nil else { return try await function() }
        await HeavyTests.gate.enter()
        do {
            try await FacetTestTraits.onOwnThread { try await function() }
        } catch {
            await HeavyTests.gate.leave()
            throw error
        }
        await HeavyTests.gate.leave()
    }
}

/// How many tests marked `.onOwnThread` compute at once: one core's worth on a 2-core CI, so the tests that wait on
/// real time (validators in this process, `facet` processes) always have a core. More cores, more at once.
enum HeavyTests {
    static let gate = Gate(width: max(1, ProcessInfo.processInfo.activeProcessorCount - 1))
}

/// A counting gate: at most `width` holders; the others wait in order.
actor Gate {
    private let width: Int
    private var holders = 0
    private var waiting = [CheckedContinuation<Void, Never>]()

    init(width: Int) { self.width = width }

    func enter() async {
        if holders < width {
            holders += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// The next waiter takes this holder's place.
    func leave() {
        if waiting.isEmpty {
            holders -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

extension Trait where Self == OwnThreadTrait {
    /// Runs each test of the suite with its synchronous parts on a thread of its own.
    public static var onOwnThread: Self { Self() }
}
