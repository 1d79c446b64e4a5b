import FacetCore
import Testing

@Test func hexRoundTrip() {
    let bytes: [UInt8] = [0x00, 0x01, 0xab, 0xff]
    #expect(Hex.encode(bytes) == "0001abff")
    #expect(Hex.decode("0001ABff") == bytes)
    #expect(Hex.decode("0g") == nil)
    #expect(Hex.decode("abc") == nil)
}

@Test func sha256KnownAnswer() {
    // FIPS 180-2 example: SHA-256("abc").
    #expect(
        SHA256Hash.digest(Array("abc".utf8)).hex
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
}
