/// When a certificate is due: not_after − min(before_days, lifetime / 3) (DESIGN §4),
/// unless the CA suggested a window through ARI.
public enum RenewalPolicy {
    public static func renewAt(notBefore: Timestamp, notAfter: Timestamp, beforeDays: Int) -> Timestamp {
        let lifetime = notBefore.seconds(until: notAfter)
        let margin = min(Int64(beforeDays) * 86_400, lifetime / 3)
        return notAfter.adding(seconds: -margin)
    }
}
