"""The debate studies as arena features: one module per protocol.

Each protocol has a pure statistics module (`order`, `breaking`, `fallacy`, `beliefs`,
`personas`: functions of plain records, no I/O) and, where it runs models, a runner
module (`*_run`) that drives the engine or the gateway and hands records to the store.
Every rate is a `Proportion`: its count, its share and a 95% Wilson interval."""
