import Engine

/// The engine's message type, named apart from ALSASequencer's (this file sees only Engine's).
typealias EngineMIDIMessage = MIDIMessage
