/// The cipher suites detection calls weak, by IANA code point and name (RFC 5246 appendix A.5,
/// RFC 4492, RFC 7465 for RC4, RFC 8996 context): no encryption, export-grade, single DES, 3DES
/// (64-bit blocks, SWEET32), RC4, and anonymous key exchange (no server authentication).
enum TLSCipherSuites {
    /// One weak suite: its code point, IANA name and what makes it weak.
    struct Suite: Sendable, Equatable {
        let code: UInt16
        let name: String
        let weakness: String
    }

    static let weak: [Suite] = [
        Suite(code: 0x0001, name: "TLS_RSA_WITH_NULL_MD5", weakness: "NULL"),
        Suite(code: 0x0002, name: "TLS_RSA_WITH_NULL_SHA", weakness: "NULL"),
        Suite(code: 0x003B, name: "TLS_RSA_WITH_NULL_SHA256", weakness: "NULL"),
        Suite(code: 0xC006, name: "TLS_ECDHE_ECDSA_WITH_NULL_SHA", weakness: "NULL"),
        Suite(code: 0xC010, name: "TLS_ECDHE_RSA_WITH_NULL_SHA", weakness: "NULL"),
        Suite(code: 0xC015, name: "TLS_ECDH_anon_WITH_NULL_SHA", weakness: "NULL, anon"),
        Suite(code: 0x0003, name: "TLS_RSA_EXPORT_WITH_RC4_40_MD5", weakness: "EXPORT"),
        Suite(code: 0x0006, name: "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", weakness: "EXPORT"),
        Suite(code: 0x0008, name: "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", weakness: "EXPORT"),
        Suite(code: 0x0011, name: "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", weakness: "EXPORT"),
        Suite(code: 0x0014, name: "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", weakness: "EXPORT"),
        Suite(code: 0x0017, name: "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", weakness: "EXPORT, anon"),
        Suite(code: 0x0019, name: "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA", weakness: "EXPORT, anon"),
        Suite(code: 0x0009, name: "TLS_RSA_WITH_DES_CBC_SHA", weakness: "DES"),
        Suite(code: 0x0012, name: "TLS_DHE_DSS_WITH_DES_CBC_SHA", weakness: "DES"),
        Suite(code: 0x0015, name: "TLS_DHE_RSA_WITH_DES_CBC_SHA", weakness: "DES"),
        Suite(code: 0x001A, name: "TLS_DH_anon_WITH_DES_CBC_SHA", weakness: "DES, anon"),
        Suite(code: 0x0004, name: "TLS_RSA_WITH_RC4_128_MD5", weakness: "RC4"),
        Suite(code: 0x0005, name: "TLS_RSA_WITH_RC4_128_SHA", weakness: "RC4"),
        Suite(code: 0xC007, name: "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", weakness: "RC4"),
        Suite(code: 0xC011, name: "TLS_ECDHE_RSA_WITH_RC4_128_SHA", weakness: "RC4"),
        Suite(code: 0x0018, name: "TLS_DH_anon_WITH_RC4_128_MD5", weakness: "RC4, anon"),
        Suite(code: 0xC016, name: "TLS_ECDH_anon_WITH_RC4_128_SHA", weakness: "RC4, anon"),
        Suite(code: 0x000A, name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", weakness: "3DES"),
        Suite(code: 0x0013, name: "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", weakness: "3DES"),
        Suite(code: 0x0016, name: "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", weakness: "3DES"),
        Suite(code: 0xC008, name: "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", weakness: "3DES"),
        Suite(code: 0xC012, name: "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", weakness: "3DES"),
        Suite(code: 0x001B, name: "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA", weakness: "3DES, anon"),
        Suite(code: 0xC017, name: "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA", weakness: "3DES, anon"),
        Suite(code: 0x0034, name: "TLS_DH_anon_WITH_AES_128_CBC_SHA", weakness: "anon"),
        Suite(code: 0x003A, name: "TLS_DH_anon_WITH_AES_256_CBC_SHA", weakness: "anon"),
        Suite(code: 0x006C, name: "TLS_DH_anon_WITH_AES_128_CBC_SHA256", weakness: "anon"),
        Suite(code: 0x006D, name: "TLS_DH_anon_WITH_AES_256_CBC_SHA256", weakness: "anon"),
        Suite(code: 0x00A6, name: "TLS_DH_anon_WITH_AES_128_GCM_SHA256", weakness: "anon"),
        Suite(code: 0x00A7, name: "TLS_DH_anon_WITH_AES_256_GCM_SHA384", weakness: "anon"),
        Suite(code: 0xC018, name: "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", weakness: "anon"),
        Suite(code: 0xC019, name: "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", weakness: "anon"),
    ]

    /// The weak suite with this code point, if it is one.
    static func weakSuite(_ code: UInt16) -> Suite? { weak.first { $0.code == code } }
}
