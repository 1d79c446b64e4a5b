import FacetTestTraits
import Testing

/// The trait that keeps CPU-bound suites off Swift's cooperative pool does move them, and only them.
@Suite struct OwnThreadTraitTests {
    @Test(.onOwnThread) func aMarkedTestRunsOnAThreadOfItsOwn() {
        #expect(OwnThreadExecutor.isCurrentThread)
    }

    @Test func anUnmarkedTestStaysOnThePool() {
        #expect(!OwnThreadExecutor.isCurrentThread)
    }

    @Test func theWorkRunsInTheCallersTask() async {
        let (inTask, onOwn) = await onOwnThread { (withUnsafeCurrentTask { $0 != nil }, OwnThreadExecutor.isCurrentThread) }
        #expect(inTask && onOwn)
    }
}
