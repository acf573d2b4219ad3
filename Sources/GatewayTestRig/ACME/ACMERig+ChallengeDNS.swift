extension ACMERig {
    // Records served by pebble-challtestsrv, the DNS server Pebble validates against
    // (`dnsResolver`). Names are fully qualified: a missing trailing dot is added.
    // challtestsrv answers SOA queries with NOTIMP and has no wildcards.

    /// Adds a TXT value (challtestsrv keeps every value set on a name until `clearTXT`).
    public func setTXT(_ name: String, _ value: String) throws {
        try challengeServer.setTXT(name, value)
    }

    /// Removes every TXT value of the name.
    public func clearTXT(_ name: String) throws {
        try challengeServer.clearTXT(name)
    }

    public func setCNAME(_ name: String, _ target: String) throws {
        try challengeServer.setCNAME(name, target)
    }

    public func clearCNAME(_ name: String) throws {
        try challengeServer.clearCNAME(name)
    }

    /// Adds an IPv4 address to the name's A records.
    public func addA(_ host: String, _ ip: String) throws {
        try challengeServer.addA(host, [ip])
    }

    public func clearA(_ host: String) throws {
        try challengeServer.clearA(host)
    }

    /// Adds an IPv6 address to the name's AAAA records.
    public func addAAAA(_ host: String, _ ip: String) throws {
        try challengeServer.addAAAA(host, [ip])
    }

    public func clearAAAA(_ host: String) throws {
        try challengeServer.clearAAAA(host)
    }
}
