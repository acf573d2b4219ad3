/// Exponential backoff for failing hosts: `initial` seconds after the first failure,
/// doubling with each further one, never more than `maximum`.
public struct RetrySchedule: Sendable, Equatable {
    public var initial: Int
    public var maximum: Int

    public init(initial: Int, maximum: Int) {
        self.initial = initial
        self.maximum = maximum
    }

    public func delay(afterFailures count: Int) -> Int {
        guard count > 0 else { return 0 }
        var delay = initial
        for _ in 1..<min(count, 40) {
            delay *= 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }
}
