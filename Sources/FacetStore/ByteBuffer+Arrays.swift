import NIOCore

/// Hashes and encodings are `[UInt8]` in Facet and `ByteBuffer` in the drivers; these convert at the boundary.
extension ByteBuffer {
    var array: [UInt8] { Array(readableBytesView) }
}

extension Array where Element == UInt8 {
    var buffer: ByteBuffer { ByteBuffer(bytes: self) }
}
