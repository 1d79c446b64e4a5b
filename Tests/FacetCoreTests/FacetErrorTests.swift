import FacetCore
import Testing

/// The one error shape: a stable code and a message, described as `code: message`, equal when both are.
@Suite struct FacetErrorTests {
    enum SampleCode: String, ErrorCode, CaseIterable {
        case first = "sample.first"
        case second = "sample.second"
    }

    @Test func aModuleErrorIsItsCodeAndMessage() {
        let error = CoreError(.truncated, "needed 4 bytes, 2 left")
        #expect(error.code == .truncated)
        #expect(error.code.rawValue == "encoding.truncated")
        #expect(error.errorCode == "encoding.truncated")
        #expect(error.message == "needed 4 bytes, 2 left")
        #expect(error.reason == error.message)
        #expect(error.description == "encoding.truncated: needed 4 bytes, 2 left")
        #expect("\(error.code)" == "encoding.truncated")
    }

    @Test func errorsAreEqualOnlyWithTheSameCodeAndMessage() {
        let error = FacetError<SampleCode>(.first, "one")
        #expect(error == FacetError(.first, "one"))
        #expect(error != FacetError(.second, "one"))
        #expect(error != FacetError(.first, "two"))
        #expect(Set([error, FacetError(.first, "one"), FacetError(.second, "one")]).count == 2)
        #expect(error.description == "sample.first: one")
    }

    @Test func everyErrorReadsTheSameThroughTheProtocol() {
        let errors: [any CodedError] = [
            CoreError(.invalidKey, "not 32 bytes"), FacetError<SampleCode>(.second, "two"),
        ]
        #expect(errors.map(\.errorCode) == ["key.invalid", "sample.second"])
        #expect(errors.map(\.description) == ["key.invalid: not 32 bytes", "sample.second: two"])
    }

    @Test func thrownTypedErrorsKeepTheirCode() {
        func decode() throws(CoreError) { _ = try UInt64(canonicalBytes: [1, 2]) }
        #expect(throws: CoreError.self) { try decode() }
        do {
            try decode()
            Issue.record("two bytes decoded as a u64")
        } catch {
            #expect(error.code == .truncated)
        }
    }
}
