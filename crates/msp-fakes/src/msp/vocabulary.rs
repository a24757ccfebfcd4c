//! The words generated names are made of, and the hardware a generated MSP owns.

pub(super) const SURNAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Müller",
    "Schmidt",
    "Fischer",
    "O'Brien",
    "Nguyen",
    "García",
    "Rossi",
    "Dubois",
    "van der Berg",
    "Jansen",
    "Kowalski",
    "Andersson",
    "Murphy",
    "Patel",
    "Kim",
    "Tanaka",
    "Weber",
    "Becker",
    "Hoffmann",
    "Schulz",
    "Klein",
    "Wolf",
    "Baker",
    "Carter",
    "Turner",
    "Walker",
    "Wright",
    "Hughes",
    "Evans",
    "Brooks",
    "Fletcher",
    "Harrington",
    "Lindqvist",
    "Novak",
    "Moreau",
    "Laurent",
    "Bianchi",
    "Ferrari",
    "McAllister",
    "Byrne",
    "De Vries",
    "Bakker",
    "Meyer",
    "Wagner",
    "Kaufmann",
    "Svensson",
    "Larsen",
    "Horvat",
    "Silva",
    "Costa",
    "Okafor",
    "Haddad",
    "Cohen",
    "Levy",
    "Sato",
    "Chen",
    "Wong",
    "Singh",
];

pub(super) const WORDS: &[&str] = &[
    "Acme",
    "Apex",
    "Summit",
    "Riverside",
    "Lakeside",
    "Northwind",
    "Bluewater",
    "Greenfield",
    "Oakwood",
    "Silverline",
    "Pinnacle",
    "Horizon",
    "Keystone",
    "Meridian",
    "Harbor",
    "Evergreen",
    "Redwood",
    "Crescent",
    "Atlas",
    "Cornerstone",
    "Beacon",
    "Granite",
    "Maple",
    "Cedar",
    "Falcon",
    "Phoenix",
    "Sterling",
    "Vanguard",
    "Westbrook",
    "Brightwater",
    "Highland",
    "Ironbridge",
    "Kingsway",
    "Lighthouse",
    "Millbrook",
    "Oceanic",
    "Parkview",
    "Stonegate",
    "Trinity",
    "Alpine",
    "Bayside",
    "Clearview",
    "Eastgate",
    "Foxhill",
    "Goldcrest",
    "Hillcrest",
    "Juniper",
    "Northstar",
    "Orchard",
    "Prairie",
    "Rosewood",
    "Sunrise",
    "Tidewater",
    "Unity",
    "Valley",
    "Willow",
    "Zenith",
    "Coastal",
    "Heritage",
    "Metro",
];

pub(super) const INDUSTRIES: &[&str] = &[
    "Dental",
    "Legal",
    "Accounting",
    "Logistics",
    "Construction",
    "Engineering",
    "Architects",
    "Veterinary Clinic",
    "Medical Group",
    "Insurance",
    "Realty",
    "Manufacturing",
    "Plumbing",
    "Electrical",
    "Consulting",
    "Marketing",
    "Foods",
    "Automotive",
    "Pharmacy",
    "Financial Services",
    "Properties",
    "Hotels",
    "Printing",
    "Transport",
    "Solutions",
    "Partners",
    "Holdings",
    "Industries",
    "Systems",
    "Design",
    "Pediatrics",
    "Orthodontics",
    "Landscaping",
    "Roofing",
    "Bakery",
    "Brewing Co",
    "Outfitters",
    "Traders",
    "Capital",
    "Wealth Management",
];

pub(super) const LEGAL_SUFFIXES: &[&str] = &[
    "Inc.",
    "LLC",
    "Ltd",
    "Ltd.",
    "GmbH",
    "B.V.",
    "Pty Ltd",
    "S.A.",
    "AG",
    "Co.",
    "Corp.",
    "PLC",
    "S.r.l.",
    "LLP",
    "e.K.",
    "GmbH & Co. KG",
    "Limited",
    "SAS",
    "Oy",
    "AB",
];

pub(super) const CITIES: &[&str] = &[
    "Berlin",
    "Hamburg",
    "Munich",
    "London",
    "Manchester",
    "Leeds",
    "Dublin",
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Paris",
    "Lyon",
    "Madrid",
    "Milan",
    "Vienna",
    "Zurich",
    "Stockholm",
    "Oslo",
    "Copenhagen",
    "Helsinki",
    "Chicago",
    "Denver",
    "Austin",
    "Boston",
    "Seattle",
    "Toronto",
    "Sydney",
    "Melbourne",
    "Auckland",
    "Cape Town",
    "Brussels",
    "Antwerp",
    "Lisbon",
    "Prague",
    "Warsaw",
    "Cologne",
    "Frankfurt",
    "Bristol",
    "Glasgow",
    "Cork",
];

pub(super) const SITE_TAIL_WORDS: &[&str] =
    &["HQ", "Head Office", "Warehouse", "Branch", "Clinic", "Lab"];

pub(super) const FIRST_NAMES: &[&str] = &[
    "anna", "ben", "carla", "david", "emma", "felix", "greta", "hugo", "ines", "jan", "kate",
    "lars", "mia", "noah", "olga", "paul", "rita", "sam", "tom", "vera",
];

pub(super) const SHARED_HOSTNAMES: &[&str] = &[
    "SRV-DC01",
    "SRV-DC02",
    "SRV-FS01",
    "SRV-APP01",
    "SRV-SQL01",
    "RECEPTION-PC",
    "FRONTDESK",
    "BOARDROOM",
    "ACCOUNTS-PC",
    "WORKSTATION1",
    "WORKSTATION2",
    "ADMIN-PC",
    "SCANNER-PC",
    "KIOSK-01",
    "LAPTOP-01",
    "NUC-TV",
];

pub(super) const JUNK_SERIALS: &[&str] = &[
    "To Be Filled By O.E.M.",
    "To be filled by O.E.M.",
    "System Serial Number",
    "Default string",
    "0",
    "123456789",
    "Not Specified",
    "None",
    "0123456789",
];

/// (manufacturer, models, serial shape)
pub(super) const PC_VENDORS: &[(&str, &[&str], SerialShape)] = &[
    (
        "Dell Inc.",
        &[
            "OptiPlex 7090",
            "OptiPlex 3080",
            "Latitude 5420",
            "Latitude 7440",
            "Precision 3660",
        ],
        SerialShape::DellTag,
    ),
    (
        "HP",
        &[
            "HP EliteBook 840 G8",
            "HP ProDesk 400 G7",
            "HP EliteDesk 800 G6",
            "HP ProBook 450 G9",
        ],
        SerialShape::Hp,
    ),
    (
        "LENOVO",
        &[
            "20XW0026GE",
            "ThinkCentre M70q",
            "ThinkPad T14 Gen 3",
            "ThinkPad X1 Carbon Gen 11",
        ],
        SerialShape::Lenovo,
    ),
    (
        "Microsoft Corporation",
        &["Surface Pro 9", "Surface Laptop 5"],
        SerialShape::Digits12,
    ),
    (
        "ASUS",
        &["ExpertCenter D700", "ExpertBook B9"],
        SerialShape::Alnum15,
    ),
    (
        "Intel Corporation",
        &["NUC11PAHi5", "NUC12WSHi7"],
        SerialShape::Alnum12,
    ),
    (
        "Apple Inc.",
        &["MacBookPro18,3", "Macmini9,1", "iMac21,1"],
        SerialShape::Alnum12,
    ),
];

pub(super) const SERVER_VENDORS: &[(&str, &[&str], SerialShape)] = &[
    (
        "Dell Inc.",
        &["PowerEdge R740", "PowerEdge T440", "PowerEdge R650"],
        SerialShape::DellTag,
    ),
    (
        "HPE",
        &["ProLiant DL380 Gen10", "ProLiant ML350 Gen10"],
        SerialShape::Hp,
    ),
    (
        "LENOVO",
        &["ThinkSystem SR650", "ThinkSystem ST250"],
        SerialShape::Lenovo,
    ),
];

pub(super) const VIRTUAL_VENDORS: &[(&str, &[&str], SerialShape)] = &[
    (
        "VMware, Inc.",
        &["VMware Virtual Platform", "VMware7,1"],
        SerialShape::VmWare,
    ),
    (
        "Microsoft Corporation",
        &["Virtual Machine"],
        SerialShape::HyperV,
    ),
];

#[derive(Debug, Clone, Copy)]
pub(super) enum SerialShape {
    DellTag,
    Hp,
    Lenovo,
    Digits12,
    Alnum12,
    Alnum15,
    VmWare,
    HyperV,
}

pub(super) const WINDOWS_DESKTOP_OS: &[&str] = &[
    "Microsoft Windows 11 Pro 23H2",
    "Microsoft Windows 11 Pro 24H2",
    "Microsoft Windows 11 Enterprise 23H2",
    "Microsoft Windows 10 Pro 22H2",
    "Microsoft Windows 10 Enterprise 22H2",
];

pub(super) const SERVER_OS: &[&str] = &[
    "Microsoft Windows Server 2022 Standard",
    "Microsoft Windows Server 2019 Standard",
    "Microsoft Windows Server 2016 Standard",
    "Microsoft Windows Server 2022 Datacenter",
    "Ubuntu 22.04.4 LTS",
];

/// MAC addresses that many unrelated machines report: VPN clients, hypervisor host-only
/// adapters, packet-capture loopbacks.
pub(super) const SHARED_VIRTUAL_NICS: &[(&str, &str)] = &[
    (
        "Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter for Windows x64",
        "00:05:9A:3C:7A:00",
    ),
    ("Npcap Loopback Adapter", "02:00:4C:4F:4F:50"),
    ("VirtualBox Host-Only Ethernet Adapter", "0A:00:27:00:00:0C"),
    (
        "VMware Virtual Ethernet Adapter for VMnet8",
        "00:50:56:C0:00:08",
    ),
    (
        "Fortinet Virtual Ethernet Adapter (NDIS 6.30)",
        "00:09:0F:FE:00:01",
    ),
];

pub(super) const ETHERNET_NICS: &[&str] = &[
    "Intel(R) Ethernet Connection (16) I219-LM",
    "Realtek PCIe GbE Family Controller",
    "Intel(R) Ethernet Controller I225-V",
    "Broadcom NetXtreme Gigabit Ethernet",
];

pub(super) const WIFI_NICS: &[&str] = &[
    "Intel(R) Wi-Fi 6 AX201 160MHz",
    "Intel(R) Wi-Fi 6E AX211 160MHz",
    "Realtek RTL8852BE WiFi 6 802.11ax PCIe Adapter",
];

/// Fixed "now" of the generated data (2025-06-15T00:00:00Z), so generation never depends on
/// the wall clock.
pub(super) const NOW_MS: i64 = 1_749_945_600_000;
pub(super) const DAY_MS: i64 = 86_400_000;

/// Network gear Datto RMM monitors over SNMP (class `rmmnetworkdevice`): what its network
/// discovery names it (`deviceType.type` under the category `Network Device`; `Network Device`
/// when discovery could not tell), the SNMP system description Datto shows as `description`,
/// and the hostname stems such gear is given.
pub(super) struct NetworkGear {
    pub datto_type: &'static str,
    pub manufacturer: &'static str,
    pub model: &'static str,
    pub description: &'static str,
    pub stems: &'static [&'static str],
}

const fn gear(
    datto_type: &'static str,
    manufacturer: &'static str,
    model: &'static str,
    description: &'static str,
    stems: &'static [&'static str],
) -> NetworkGear {
    NetworkGear {
        datto_type,
        manufacturer,
        model,
        description,
        stems,
    }
}

/// The generic type of network gear discovery did not identify.
pub(super) const GENERIC_NETWORK_TYPE: &str = "Network Device";

pub(super) const NETWORK_GEAR: &[NetworkGear] = &[
    gear(
        "Firewall",
        "Fortinet",
        "FortiGate 60F",
        "FortiGate-60F v7.2.8,build1639,240313 (GA.M)",
        &["FW", "GW"],
    ),
    gear(
        "Firewall",
        "SonicWall",
        "TZ370",
        "SonicWall TZ 370 (SonicOS 7.0.1-5145)",
        &["FW"],
    ),
    gear(
        "Firewall",
        "WatchGuard",
        "Firebox T40",
        "WatchGuard Firebox T40 Fireware 12.10.3",
        &["FW", "EDGE"],
    ),
    gear(
        "Switch",
        "HPE Aruba",
        "Aruba 2930F",
        "Aruba JL258A 2930F-8G-PoE+-2SFP+ Switch, revision WC.16.11.0012",
        &["SW", "CORE"],
    ),
    gear(
        "Switch",
        "Netgear",
        "GS724T",
        "GS724Tv4 ProSAFE 24-port Gigabit Smart Managed Switch",
        &["SW"],
    ),
    gear(
        "Switch",
        "Ubiquiti",
        "USW-24-POE",
        "UniFi Switch USW-24-PoE, 6.6.61.15220",
        &["SW", "USW"],
    ),
    gear(
        "Switch",
        "Cisco",
        "Catalyst 9200L",
        "Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_LITE_IOSXE)",
        &["SW", "CORE"],
    ),
    gear(
        "Access Point",
        "Ubiquiti",
        "U6-Pro",
        "UniFi AP U6-Pro 6.6.77",
        &["AP", "WAP"],
    ),
    gear(
        "Access Point",
        "HPE Aruba",
        "AP-515",
        "ArubaOS (MODEL: 515), Version 8.10.0.7",
        &["AP"],
    ),
    gear(
        "Router",
        "DrayTek",
        "Vigor 2865",
        "DrayTek Corporation, Router Model: Vigor2865, Version: 4.4.3",
        &["RTR", "GW"],
    ),
    gear(
        GENERIC_NETWORK_TYPE,
        "APC",
        "AP7900B",
        "APC Web/SNMP Management Card (MB:v4.2.6 PF:v7.0.6 PN:apc_hw05_rpdu2g)",
        &["PDU"],
    ),
    gear(
        GENERIC_NETWORK_TYPE,
        "Axis",
        "M3106-L Mk II",
        "AXIS M3106-L Mk II Network Camera 10.12.182",
        &["CAM"],
    ),
    gear(
        GENERIC_NETWORK_TYPE,
        "Yealink",
        "T54W",
        "Yealink SIP-T54W 96.86.0.70",
        &["SIP", "PHONE"],
    ),
];

/// Printers: (manufacturer, model, how the printer names itself on the network). A printer
/// keeps its vendor's default hostname (`NPI…` for HP, `BRN…` for Brother, `KM…` for Kyocera,
/// built from its MAC address) more often than not.
pub(super) const PRINTERS: &[(&str, &str, &str)] = &[
    ("Brother", "MFC-L8900CDW", "BRN"),
    ("HP", "LaserJet Pro M404dn", "NPI"),
    ("Kyocera", "ECOSYS M2540dn", "KM"),
    ("Canon", "imageRUNNER C3226i", ""),
    ("RICOH", "IM C3000", ""),
];

/// Physical network cards' vendor prefixes (Intel, HP, Dell, Lenovo, Broadcom, Realtek):
/// never one a hypervisor gives its virtual adapters.
pub(super) const PHYSICAL_OUIS: &[[u8; 3]] = &[
    [0x3C, 0x52, 0x82],
    [0xF8, 0xBC, 0x12],
    [0x98, 0xFA, 0x9B],
    [0xD4, 0x81, 0xD7],
    [0xA4, 0xBF, 0x01],
    [0x00, 0x10, 0x18],
    [0x00, 0xE0, 0x4C],
];

/// Network gear's vendor prefixes (Fortinet, Ubiquiti, HPE Aruba, Netgear, Cisco, printers).
pub(super) const GEAR_OUIS: &[[u8; 3]] = &[
    [0x00, 0x09, 0x0F],
    [0x24, 0x5A, 0x4C],
    [0x94, 0x60, 0xD5],
    [0x9C, 0xD3, 0x6D],
    [0x00, 0x1B, 0x54],
    [0x30, 0x05, 0x5C],
];

/// The prefix Hyper-V gives the adapters it makes: a Hyper-V host's virtual switch adapter and
/// a Hyper-V guest's network card.
pub(super) const HYPER_V_OUI: [u8; 3] = [0x00, 0x15, 0x5D];

/// The prefix VMware gives a guest's network card.
pub(super) const VMWARE_OUI: [u8; 3] = [0x00, 0x50, 0x56];
