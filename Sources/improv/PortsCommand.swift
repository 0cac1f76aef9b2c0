import ALSASequencer
import ArgumentParser

struct PortsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ports",
        abstract: "List the ALSA sequencer's clients and ports (as aconnect -l does), to pick connections."
    )

    func run() throws {
        let sequencer = try Sequencer(clientName: "improv-ports")
        for client in try sequencer.clients() where client.id != sequencer.clientID {
            print("client \(client.id): '\(client.name)'")
            for port in client.ports {
                var caps: [String] = []
                if port.capabilities.isReadable { caps.append("out") }
                if port.capabilities.isWritable { caps.append("in") }
                print("    \(client.id):\(port.id) '\(port.name)'" + (caps.isEmpty ? "" : " (\(caps.joined(separator: ", ")))"))
            }
        }
    }
}
