/// The fixtures and the simulation harness moved to `FacetSimulation` (which the `facet` binary links for `facet
/// sim` and the benchmarks); re-exported so a test that imports `FacetTestSupport` keeps seeing them.
@_exported import FacetSimulation
