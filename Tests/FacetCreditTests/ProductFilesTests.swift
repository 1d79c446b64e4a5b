import FacetCredit
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

/// The committed files in `contracts/products/` and `contracts/policies/` decode, match the demo consortium,
/// and a file with anything the format lacks is refused with its code.
@Suite struct ProductFilesTests {
    typealias F = PricingFixtures

    @Test(arguments: PricingFixtures.productNames) func everyProductFileDecodes(_ name: String) throws {
        let product = try F.product(name)
        #expect(product.id == name)
        #expect(product.isSecured == (name == "receivables" || name == "inventory-pledge"))
    }

    @Test func productsCarryTheirLedgerKinds() throws {
        #expect(
            try F.productNames.map { try F.product($0).ledgerProduct } == [
                .workingCapital, .receivablesFinancing, .inventoryPledge, .guarantee,
            ])
    }

    @Test func policiesMatchTheDemoLenders() throws {
        let seed = try JSONSerialization.jsonObject(
            with: Data(contentsOf: ContractFiles.root.appendingPathComponent("seeds/consortium.json")))
        let lenders = try #require((seed as? [String: Any])?["lenders"] as? [[String: Any]])
        #expect(lenders.count == F.lenderNames.count)
        for lender in lenders {
            let name = try #require(lender["member"] as? String)
            let policy = try F.policy(name)
            #expect(policy.lender == name)
            #expect(policy.fundingCostBps == lender["fundingCostBps"] as? Int)
            #expect(policy.riskAppetite == lender["riskAppetite"] as? String)
            for product in policy.products { _ = try F.product(product) }
        }
        // Appetite orders the gates: a higher appetite accepts a higher PD.
        let policies = try F.lenderNames.map { try F.policy($0) }
        #expect(policies[0].maxPdBps < policies[1].maxPdBps && policies[1].maxPdBps < policies[2].maxPdBps)
    }

    static func mutated(_ path: String, _ change: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(
            try JSONSerialization.jsonObject(with: ContractFiles.data(path)) as? [String: Any])
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    static func code(_ body: () throws(CreditTermsError) -> Void) -> CreditDecisionCode? {
        do {
            try body()
            return nil
        } catch {
            return error.code
        }
    }

    @Test func anUnknownProductFieldIsRefused() throws {
        let topLevel = try Self.mutated("products/inventory-pledge.json") { $0["haircutBPS"] = 100 }
        #expect(
            Self.code { () throws(CreditTermsError) in _ = try CreditProduct.decode(topLevel) } == .productMalformed)
        let nested = try Self.mutated("products/inventory-pledge.json") { object in
            var collateral = object["collateral"] as? [String: Any] ?? [:]
            var haircuts = collateral["haircuts"] as? [[String: Any]] ?? []
            haircuts[0]["note"] = "typo"
            collateral["haircuts"] = haircuts
            object["collateral"] = collateral
        }
        do {
            _ = try CreditProduct.decode(nested)
            Issue.record("a nested unknown field decoded")
        } catch {
            #expect(error.code == .productMalformed)
            #expect(error.message.contains("collateral.haircuts[0].note"))
        }
    }

    @Test func aMalformedProductIsRefused() throws {
        let cases: [Data] = [
            Data("{".utf8),
            try Self.mutated("products/receivables.json") { $0.removeValue(forKey: "maxTenorDays") },
            try Self.mutated("products/receivables.json") { $0["lgdSecuredBps"] = "35%" },
            try Self.mutated("products/receivables.json") { $0["kind"] = "mortgage" },
            try Self.mutated("products/receivables.json") { $0["lgdSecuredBps"] = 12_000 },
            try Self.mutated("products/inventory-pledge.json") { object in
                var collateral = object["collateral"] as? [String: Any] ?? [:]
                collateral["haircuts"] = [["category": "silver", "haircutBps": 100]]
                object["collateral"] = collateral
            },
        ]
        for data in cases {
            #expect(
                Self.code { () throws(CreditTermsError) in _ = try CreditProduct.decode(data) } == .productMalformed)
        }
    }

    @Test func anUnknownOrMalformedPolicyFieldIsRefused() throws {
        let cases: [Data] = [
            try Self.mutated("policies/bank-a.json") { $0["maxPD"] = 0.01 },
            try Self.mutated("policies/bank-a.json") { $0["worstGrade"] = "Z" },
            try Self.mutated("policies/bank-a.json") { $0.removeValue(forKey: "hurdleRateBps") },
            try Self.mutated("policies/bank-a.json") { $0["minCashFlowCoverBps"] = 0 },
        ]
        for data in cases {
            #expect(Self.code { () throws(CreditTermsError) in _ = try LenderPolicy.decode(data) } == .policyMalformed)
        }
        // An optional field may be null or absent.
        let absent = try Self.mutated("policies/bank-a.json") { $0.removeValue(forKey: "smeMinorUnitsPerMillionEUR") }
        #expect(try LenderPolicy.decode(absent).smeMinorUnitsPerMillionEUR == nil)
        let null = try Self.mutated("policies/bank-a.json") { $0["smeMinorUnitsPerMillionEUR"] = NSNull() }
        #expect(try LenderPolicy.decode(null).smeMinorUnitsPerMillionEUR == nil)
    }
}
