/// The update rule applied to the (averaged, clipped) gradient g of each batch.
public enum Optimizer: Sendable, Hashable, Codable {
    /// SGD with momentum (the paper: momentum 0.9), PyTorch's form:
    ///     v = momentum * v + g;   w -= lr * v
    case sgd(momentum: Float)
    /// RMSprop (paper 000, Keras defaults decay 0.9, epsilon 1e-7):
    ///     s = decay * s + (1 - decay) g^2;   w -= lr * g / (sqrt(s) + epsilon)
    case rmsprop(decay: Float, epsilon: Float)
    /// Adam (Kingma & Ba; paper 003), with bias correction:
    ///     m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
    ///     w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + epsilon)
    case adam(beta1: Float, beta2: Float, epsilon: Float)

    public static let paperSGD = Optimizer.sgd(momentum: 0.9)
    public static let rmsprop = Optimizer.rmsprop(decay: 0.9, epsilon: 1e-7)
    public static let adam = Optimizer.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)

    /// A reason the settings are unusable, or nil.
    public var problem: String? {
        switch self {
        case .sgd(let m):
            return m >= 0 && m < 1 ? nil : "momentum \(m) outside [0, 1)"
        case .rmsprop(let d, let e):
            return d >= 0 && d < 1 && e > 0 ? nil : "need 0 <= decay < 1 and epsilon > 0"
        case .adam(let b1, let b2, let e):
            return b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1 && e > 0 ? nil : "need betas in [0, 1) and epsilon > 0"
        }
    }
}

/// Moment buffers and step count of an optimizer (Codable, for checkpoints).
public struct OptimizerState: Sendable, Hashable, Codable {
    public var first: [Float]
    public var second: [Float]
    public var steps: Int
    /// beta1^steps and beta2^steps for Adam's bias correction.
    public var beta1Power: Double
    public var beta2Power: Double

    init(count: Int) {
        first = [Float](repeating: 0, count: count)
        second = [Float](repeating: 0, count: count)
        steps = 0
        beta1Power = 1
        beta2Power = 1
    }

    /// One update of `w` with gradient `g` at learning rate `lr`.
    mutating func apply(_ optimizer: Optimizer, learningRate lr: Float,
                        weights w: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeBufferPointer<Float>) {
        precondition(w.count == g.count && first.count == w.count)
        steps += 1
        let n = w.count
        let w = w.baseAddress!, g = g.baseAddress!
        var c1: Float = 1, c2: Float = 1
        if case .adam(let b1, let b2, _) = optimizer {
            beta1Power *= Double(b1)
            beta2Power *= Double(b2)
            c1 = Float(1 / (1 - beta1Power))
            c2 = Float(1 / (1 - beta2Power))
        }
        first.withUnsafeMutableBufferPointer { mb in
            second.withUnsafeMutableBufferPointer { sb in
                let m = mb.baseAddress!, s = sb.baseAddress!
                switch optimizer {
                case .sgd(let mu):
                    for i in 0..<n {
                        m[i] = mu * m[i] + g[i]
                        w[i] -= lr * m[i]
                    }
                case .rmsprop(let decay, let eps):
                    for i in 0..<n {
                        s[i] = decay * s[i] + (1 - decay) * g[i] * g[i]
                        w[i] -= lr * g[i] / (s[i].squareRoot() + eps)
                    }
                case .adam(let b1, let b2, let eps):
                    for i in 0..<n {
                        m[i] = b1 * m[i] + (1 - b1) * g[i]
                        s[i] = b2 * s[i] + (1 - b2) * g[i] * g[i]
                        w[i] -= lr * (m[i] * c1) / ((s[i] * c2).squareRoot() + eps)
                    }
                }
            }
        }
    }
}
