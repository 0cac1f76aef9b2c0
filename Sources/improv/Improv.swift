import ArgumentParser

@main
struct Improv: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "improv",
        abstract: "A real-time MIDI improvisation partner: an LSTM that plays the blues with you.",
        discussion: """
            improv listens to a MIDI keyboard through the ALSA sequencer, quantizes what you play into \
            eighth-note slices and answers with a chord-and-melody LSTM (Eck & Schmidhuber, 2002).
            """,
        version: "0.1.0",
        subcommands: [CorpusCommand.self, ExportCorpusCommand.self, InspectCommand.self, TrainCommand.self, GenerateCommand.self, EvalCommand.self, JamCommand.self, RenderCommand.self, DaemonCommand.self, PresetsCommand.self, PortsCommand.self, PlotCommand.self, ActivationsCommand.self, ABCCommand.self]
    )
}
