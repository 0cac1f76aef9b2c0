import XCTest
@testable import Synth

/// Real-time output needs a sound device; this machine may have none. Then the driver's
/// creation must fail with an error naming the call, not crash or hang.
final class AudioOutputTests: XCTestCase {
    func testDriverStartsOrFailsNamingTheCall() throws {
        let synth = try Synthesizer(settings: SynthSettings(audioDriver: .alsa, periodSize: 256))
        do {
            let output = try AudioOutput(synthesizer: synth)
            XCTAssertTrue(output.synthesizer === synth)
        } catch {
            guard case .callFailed(let call, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(call, "new_fluid_audio_driver")
        }
    }
}
