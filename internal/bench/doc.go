// Package bench holds akw's cross-cutting benchmarks, the ones that are
// about the akw binary or span several packages (per-package benchmarks
// live beside their code). `make bench` (.ci/bench) runs them all, with
// the others', and writes the table in docs/PERFORMANCE.md.
//
// This package imports only the standard library on purpose: it measures
// akw processes from outside, and its own size would otherwise leak into
// their peak memory figures (see BenchmarkColdStart).
package bench
