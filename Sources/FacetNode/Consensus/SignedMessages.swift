import FacetConsensus
import FacetCore
import FacetLedger

/// What a validator signed at one height, stored beside its last signed slot (`SafetyRecord.message`).
struct SignedMessages: CanonicalCodable {
    var messages: [ConsensusMessage]

    init(messages: [ConsensusMessage]) {
        self.messages = messages
    }

    func encode(to encoder: inout CanonicalEncoder) { encoder.list(messages) }

    init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        messages = try decoder.list(max: 4_096)
    }
}
