import FacetCore
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

/// The kind table (`TransactionBody.Kind.descriptor`) is total, its tags and names are unique and round-trip, it says
/// what `contracts/encoding.md` says, and every body encodes its table tag first.
@Suite struct TransactionBodyKindTests {
    /// The `| tag | kind | fields |` rows of `contracts/encoding.md`: the published tags, which never change meaning.
    static func publishedTags() throws -> [UInt8: String] {
        let text = try String(contentsOf: ContractFiles.url("encoding.md"), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"^\| ([0-9]+) \| ([a-z_]+) \|"#, options: .anchorsMatchLines)
        var rows = [UInt8: String]()
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let tag = Range(match.range(at: 1), in: text), let name = Range(match.range(at: 2), in: text)
            else { continue }
            rows[try #require(UInt8(text[tag]))] = String(text[name])
        }
        return rows
    }

    @Test func theTableIsTotalWithUniqueTagsAndNamesThatRoundTrip() {
        let kinds = TransactionBody.Kind.allCases
        #expect(Set(kinds.map(\.tag)).count == kinds.count, "two kinds share a tag")
        #expect(Set(kinds.map(\.name)).count == kinds.count, "two kinds share a name")
        for kind in kinds {
            #expect(TransactionBody.Kind(tag: kind.tag) == kind)
            #expect(TransactionBody.Kind(name: kind.name) == kind)
            #expect(TransactionKindName(tag: kind.tag).description == kind.name)
            #expect(TransactionKindName.names[kind.tag] == kind.name)
            #expect(kind.name.allSatisfy { $0.isLowercase || $0 == "_" }, "\(kind.name) is not snake_case")
            #expect(kind.commandName == kind.name.replacingOccurrences(of: "_", with: "-"))
        }
        #expect(TransactionKindName.names.count == kinds.count)
        let unused = (0...255).map(UInt8.init).filter { tag in !kinds.contains { $0.tag == tag } }
        #expect(unused.count == 256 - kinds.count)
        for tag in unused {
            #expect(TransactionBody.Kind(tag: tag) == nil)
            #expect(TransactionKindName(tag: tag).description == "unknown_\(tag)")
        }
        #expect(TransactionBody.Kind(name: "no_such_kind") == nil)
    }

    @Test func theTableSaysWhatTheEncodingContractPublishes() throws {
        let published = try Self.publishedTags()
        let table = Dictionary(uniqueKeysWithValues: TransactionBody.Kind.allCases.map { ($0.tag, $0.name) })
        #expect(published.count >= 30)
        #expect(table == published)
    }

    /// The provenance kinds are the steps `contracts/privacy.md` shows anyone: registration, certification,
    /// inspection and custody; every other kind is a firm's business or the consortium's.
    @Test func theProvenanceKindsAreThePieceSteps() {
        let provenance = TransactionBody.Kind.allCases.filter { $0.descriptor.scope == .provenance }
        #expect(provenance == [.registerPiece, .certifyPiece, .inspectPiece, .custodyIn, .custodyOut])
        #expect(RecordScope.provenanceTags == Set(provenance.map(\.tag)))
        #expect(RecordScope.registrationTag == TransactionBody.Kind.registerPiece.tag)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func everyBodyEncodesItsTableTagFirstAndDecodesToItsKind(seed: UInt64) throws {
        var bodies = RandomBodies(seed: seed)
        var seen = Set<TransactionBody.Kind>()
        for index in 0..<RandomBodies.kindCount {
            let body = bodies.body(index)
            let bytes = body.canonicalBytes
            #expect(bytes.first == body.transactionKind.tag, "seed \(seed), body \(index)")
            #expect(body.tag == body.transactionKind.tag)
            #expect(body.kind.description == body.transactionKind.name)
            #expect(try TransactionBody(canonicalBytes: bytes).transactionKind == body.transactionKind)
            seen.insert(body.transactionKind)
        }
        #expect(seen == Set(TransactionBody.Kind.allCases), "RandomBodies misses a kind (seed \(seed))")
    }

    @Test func anUnknownTagIsRefusedWithTheStableCode() {
        #expect(throws: CoreError(.unknownTag, "unknown transaction kind 8")) {
            try TransactionBody(canonicalBytes: [8])
        }
        #expect(throws: CoreError(.unknownTag, "unknown transaction kind 255")) {
            try TransactionBody(canonicalBytes: [255, 0, 0])
        }
    }
}
