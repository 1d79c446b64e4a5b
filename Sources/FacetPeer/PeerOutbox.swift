/// The frames waiting to be written to one peer, bounded by count and by payload bytes. It lives under the
/// transport's lock; `send` appends, the connection's event loop takes batches while the channel is writable.
struct PeerOutbox {
    let maxFrames: Int
    let maxBytes: Int
    private var frames: [[UInt8]] = []
    /// Index of the oldest frame not yet taken; the taken prefix is released once it is half the array.
    private var head = 0
    private(set) var bytes = 0

    init(maxFrames: Int, maxBytes: Int) {
        precondition(maxFrames > 0 && maxBytes > 0)
        self.maxFrames = maxFrames
        self.maxBytes = maxBytes
    }

    var count: Int { frames.count - head }
    var isEmpty: Bool { count == 0 }

    /// Appends the payload, or returns false (and keeps nothing) when either bound would be exceeded.
    mutating func append(_ payload: [UInt8]) -> Bool {
        guard count < maxFrames, payload.count <= maxBytes - bytes else { return false }
        frames.append(payload)
        bytes += payload.count
        return true
    }

    /// Up to `limit` of the oldest frames, removed from the queue.
    mutating func take(upTo limit: Int) -> [[UInt8]] {
        let end = min(frames.count, head + limit)
        let batch = Array(frames[head..<end])
        for payload in batch { bytes -= payload.count }
        head = end
        if head == frames.count {
            frames.removeAll(keepingCapacity: frames.count <= 1024)
            head = 0
        } else if head * 2 >= frames.count {
            frames.removeFirst(head)
            head = 0
        }
        return batch
    }

    mutating func removeAll() {
        frames.removeAll()
        head = 0
        bytes = 0
    }
}
