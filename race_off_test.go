//go:build !race

package identity_test

// raceDetector reports whether the tests run under the race detector.
const raceDetector = false
