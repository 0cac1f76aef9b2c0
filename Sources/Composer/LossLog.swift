import Foundation

/// The log of a training run, one line per epoch (the loss curves are drawn by Pictures'
/// LossPlotSVG).
public enum LossLog {
    /// The records as CSV, one line per epoch.
    public static func csv(_ records: [EpochRecord]) -> String {
        var out = "epoch,train_loss,train_chord,train_melody,heldout_loss,heldout_chord,heldout_melody,learning_rate,elapsed_s,slices_per_s,chord_form_accuracy,in_scale\n"
        for r in records {
            out += "\(r.epoch),\(r.training.total),\(r.training.chord),\(r.training.melody),\(r.heldOut.total),\(r.heldOut.chord),"
                + "\(r.heldOut.melody),\(r.learningRate),\(String(format: "%.3f", r.elapsed)),\(Int(r.slicesPerSecond)),"
                + "\(r.chordFormAccuracy.map { "\($0)" } ?? ""),\(r.inScale.map { "\($0)" } ?? "")\n"
        }
        return out
    }
}
