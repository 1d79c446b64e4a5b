import FacetCore
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

/// The genesis file: the example parses and validates, files round-trip, and every malformed field is refused
/// with `genesis.invalid` and a message naming it.
@Suite struct GenesisJSONTests {
    @Test func theExampleParsesAndValidates() throws {
        let genesis = try Genesis(json: ContractFiles.data("genesis.example.json"))
        try genesis.validate()
        #expect(genesis.validatorSet.count == 4)
        #expect(genesis.members.filter { $0.roles.contains(.admin) }.count == 2)
        #expect(genesis.members.count == 19)
        #expect(genesis.time.rfc3339 == "2026-01-01T00:00:00Z")
        #expect(genesis.params.memberApprovals >= 1 && genesis.params.validatorChangeDelay == 10)
        #expect(try genesis.jsonData() == ContractFiles.data("genesis.example.json"))
        _ = try WorldState(genesis: genesis)
    }

    @Test func aGenesisRoundTripsThroughItsFile() throws {
        let genesis = LedgerFixture().genesis
        let data = try genesis.jsonData()
        let parsed = try Genesis(json: data)
        #expect(parsed == genesis)
        #expect(parsed.hash == genesis.hash)
        #expect(try parsed.jsonData() == data)
        var odd = genesis
        odd.time = Timestamp(uncheckedMillis: genesis.time.millis + 250)
        odd.params.memberApprovals = 2
        odd.params.validatorChangeDelay = 0
        odd.params.priceValidityMillis = 7 * Timestamp.millisPerDay
        #expect(try Genesis(json: odd.jsonData()) == odd)
    }

    @Test func theFileIsTheDocumentedShape() throws {
        let data = try LedgerFixture().genesis.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["chainID"] as? String == "facet-test")
        #expect(object["time"] as? String == "2026-01-01T00:00:00Z")
        let params = try #require(object["params"] as? [String: Any])
        #expect(params["memberApprovals"] as? Int == 1)
        #expect(params["validatorChangeDelay"] as? Int == 10)
        #expect(params["priceValidityDays"] as? Int == 30)
        let members = try #require(object["members"] as? [[String: Any]])
        #expect(members.first?["name"] as? String == "admin")
        #expect(members.first?["roles"] as? [String] == ["admin"])
        #expect((members.first?["publicKey"] as? String)?.count == 64)
    }

    static let valid = """
        {"chainID": "facet-x", "time": "2026-01-01T00:00:00Z",
         "params": {"memberApprovals": 1, "validatorChangeDelay": 10, "priceValidityDays": 30},
         "members": [{"name": "Admin", "roles": ["admin", "validator"],
                      "publicKey": "\(String(repeating: "ab", count: 32))"}]}
        """

    @Test(arguments: [
        ("\"chainID\": \"facet-x\"", "\"chainID\": \"facet x\"", "chainID"),
        ("\"chainID\": \"facet-x\", ", "", "chainID"),
        ("2026-01-01T00:00:00Z", "2026-01-01T08:00:00+08:00", "time"),
        ("2026-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "time"),
        ("\"memberApprovals\": 1", "\"memberApprovals\": 0", "memberApprovals"),
        ("\"memberApprovals\": 1", "\"memberApprovals\": 300", "memberApprovals"),
        ("\"priceValidityDays\": 30", "\"priceValidityDays\": 0", "priceValidityDays"),
        ("\"validatorChangeDelay\": 10", "\"validatorChangeDelay\": -1", "validatorChangeDelay"),
        ("\"validatorChangeDelay\": 10", "\"validatorChangeDelays\": 10", "validatorChangeDelay"),
        ("\"roles\": [\"admin\", \"validator\"]", "\"roles\": [\"admin\", \"miner\"]", "roles"),
        ("\"roles\": [\"admin\", \"validator\"]", "\"roles\": [\"admin\", \"admin\"]", "roles"),
        ("\"name\": \"Admin\"", "\"name\": \"Ad\\u0007min\"", "U+7"),
        ("\"publicKey\": \"abab", "\"publicKey\": \"zzab", "publicKey"),
        ("\"publicKey\": \"abab", "\"publicKey\": \"ab", "publicKey"),
        ("\"name\": \"Admin\"", "\"name\": \"Admin\", \"email\": \"a@b\"", "email"),
        ("{\"chainID\"", "[{\"chainID\"", "JSON"),
    ])
    func malformedFieldsAreRefusedWithACodeAndTheField(original: String, replacement: String, named: String) {
        #expect(Self.valid.contains(original))
        let text = Self.valid.replacingOccurrences(of: original, with: replacement)
        do {
            _ = try Genesis(json: Data(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == .genesisInvalid)
            #expect(error.message.contains(named), "\(error.message) does not name \(named)")
        }
    }

    @Test func theValidFileParses() throws {
        let genesis = try Genesis(json: Data(Self.valid.utf8))
        try genesis.validate()
        #expect(genesis.members[0].roles == [.admin, .validator])
    }
}
