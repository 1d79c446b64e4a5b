/// The consensus driver's monotonic time: what `ValidatorMachine` is told as "now", and what the driver's tick and
/// the machine's timers sleep on. The system's runs on `ContinuousClock`; a test may pass one it moves by hand.
public protocol ConsensusClock: Sendable {
    /// Time since an origin fixed for the clock's life.
    var elapsed: Duration { get }
    func sleep(for duration: Duration) async throws
}

/// `ContinuousClock`, from the moment it was made.
public struct SystemConsensusClock: ConsensusClock {
    private let origin = ContinuousClock.now

    public init() {}

    public var elapsed: Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
