import FacetTestSupport
import Foundation
import Testing

/// `contracts/errors.md` lists exactly the codes the sources define: none undocumented, none stale.
@Suite struct ErrorCatalogTests {
    static func codes(in text: String, pattern: String) throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        return Set(
            regex.matches(in: text, range: range).compactMap { match in
                Range(match.range(at: 1), in: text).map { String(text[$0]) }
            })
    }

    @Test func everyCodeIsDocumentedAndEveryDocumentedCodeExists() throws {
        let sources = ContractFiles.root.appendingPathComponent("Sources")
        var defined = Set<String>()
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            defined.formUnion(try Self.codes(in: text, pattern: #"rawValue: "([a-z_]+\.[a-z_]+)""#))
            defined.formUnion(try Self.codes(in: text, pattern: #"case [a-zA-Z]+ = "([a-z_]+\.[a-z_]+)""#))
        }
        let catalog = try String(contentsOf: ContractFiles.url("errors.md"), encoding: .utf8)
        let documented = try Self.codes(in: catalog, pattern: #"\| `([a-z_]+\.[a-z_]+)` \|"#)
        #expect(defined.count > 60)
        #expect(defined.subtracting(documented).sorted() == [], "codes missing from contracts/errors.md")
        #expect(documented.subtracting(defined).sorted() == [], "codes in contracts/errors.md that no longer exist")
    }
}
