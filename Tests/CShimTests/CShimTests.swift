import CALSA
import CFluidSynth
import XCTest

/// The shims are the only way Swift reaches ALSA's event macros: check that each fills the
/// event exactly as the macro does (type, flags, channel, note, velocity, queue, tick).
/// No sequencer is opened here (there is no /dev/snd on the build machines); the real
/// sequencer is exercised in the VM suite.
final class CShimTests: XCTestCase {
    func testNoteOnFillsEvent() {
        var ev = snd_seq_event_t()
        improv_snd_seq_ev_clear(&ev)
        improv_snd_seq_ev_set_noteon(&ev, 3, 64, 100)
        XCTAssertEqual(ev.type, UInt8(SND_SEQ_EVENT_NOTEON.rawValue))
        XCTAssertEqual(ev.data.note.channel, 3)
        XCTAssertEqual(ev.data.note.note, 64)
        XCTAssertEqual(ev.data.note.velocity, 100)
        XCTAssertEqual(ev.flags & UInt8(SND_SEQ_EVENT_LENGTH_MASK), UInt8(SND_SEQ_EVENT_LENGTH_FIXED))
    }

    func testNoteOffAndControllerAndProgram() {
        var ev = snd_seq_event_t()
        improv_snd_seq_ev_set_noteoff(&ev, 1, 60, 0)
        XCTAssertEqual(ev.type, UInt8(SND_SEQ_EVENT_NOTEOFF.rawValue))
        XCTAssertEqual(ev.data.note.note, 60)
        improv_snd_seq_ev_set_controller(&ev, 2, 123, 0)
        XCTAssertEqual(ev.type, UInt8(SND_SEQ_EVENT_CONTROLLER.rawValue))
        XCTAssertEqual(ev.data.control.channel, 2)
        XCTAssertEqual(ev.data.control.param, 123)
        improv_snd_seq_ev_set_pgmchange(&ev, 9, 66)
        XCTAssertEqual(ev.type, UInt8(SND_SEQ_EVENT_PGMCHANGE.rawValue))
        XCTAssertEqual(ev.data.control.value, 66)
    }

    func testScheduleTickAndSubscribers() {
        var ev = snd_seq_event_t()
        improv_snd_seq_ev_clear(&ev)
        improv_snd_seq_ev_set_source(&ev, 1)
        improv_snd_seq_ev_set_subs(&ev)
        improv_snd_seq_ev_schedule_tick(&ev, 5, 0, 1920)
        XCTAssertEqual(ev.source.port, 1)
        XCTAssertEqual(ev.dest.client, UInt8(SND_SEQ_ADDRESS_SUBSCRIBERS))
        XCTAssertEqual(ev.queue, 5)
        XCTAssertEqual(ev.time.tick, 1920)
        XCTAssertEqual(ev.flags & UInt8(SND_SEQ_TIME_STAMP_MASK), UInt8(SND_SEQ_TIME_STAMP_TICK))
        XCTAssertEqual(ev.flags & UInt8(SND_SEQ_TIME_MODE_MASK), UInt8(SND_SEQ_TIME_MODE_ABS))
        improv_snd_seq_ev_set_direct(&ev)
        XCTAssertEqual(ev.queue, UInt8(SND_SEQ_QUEUE_DIRECT))
    }

    func testFluidSynthLinks() {
        // The version is the one pkg-config built against (Debian 12 ships 2.3.x).
        XCTAssertGreaterThanOrEqual(improv_fluid_version(), 20000)
        let settings = new_fluid_settings()
        XCTAssertNotNil(settings)
        XCTAssertEqual(fluid_settings_setnum(settings, "synth.sample-rate", 48000), FLUID_OK)
        var rate = 0.0
        XCTAssertEqual(fluid_settings_getnum(settings, "synth.sample-rate", &rate), FLUID_OK)
        XCTAssertEqual(rate, 48000)
        delete_fluid_settings(settings)
    }
}
