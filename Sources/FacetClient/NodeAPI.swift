/// The response bodies of a node's HTTP API, one type per schema of `contracts/openapi.yaml`, named as there.
/// Fields the schema marks required are non-optional, so a response missing one fails to decode
/// (`client.bad_response`) instead of showing as empty; fields the schema leaves optional are optional. They
/// encode back to the same JSON for `--json` output. Hashes, ids and keys stay hex strings, as on the wire;
/// amounts convert to `Money` on request.
public enum NodeAPI {}
