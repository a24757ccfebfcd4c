//! Deterministic generated inventories for the benchmarks and the scale tests: MSP-like
//! customer names (organizations) with the site names that should find them, and devices with
//! their configurations.

#![allow(dead_code)]

use sync_core::itglue::{
    Configuration, ConfigurationId, Device, DeviceUid, NetworkInterface, Organization,
    OrganizationId, SiteUid,
};

/// A small xorshift generator: the same seed always gives the same inventory.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const SURNAMES: &[&str] = &[
    "Abbott",
    "Acosta",
    "Adams",
    "Alvarez",
    "Anderson",
    "Andrews",
    "Armstrong",
    "Bailey",
    "Baker",
    "Barnes",
    "Bauer",
    "Becker",
    "Bennett",
    "Bishop",
    "Blake",
    "Boyd",
    "Bradley",
    "Brennan",
    "Brooks",
    "Brown",
    "Bryant",
    "Burke",
    "Butler",
    "Campbell",
    "Carlson",
    "Carroll",
    "Carter",
    "Chambers",
    "Chapman",
    "Clarke",
    "Coleman",
    "Collins",
    "Cooper",
    "Crawford",
    "Cunningham",
    "Daniels",
    "Davidson",
    "Dawson",
    "Delgado",
    "Dixon",
    "Douglas",
    "Duncan",
    "Dunn",
    "Edwards",
    "Elliott",
    "Ellis",
    "Erickson",
    "Evans",
    "Ferguson",
    "Fischer",
    "Fitzgerald",
    "Fleming",
    "Fletcher",
    "Ford",
    "Foster",
    "Fowler",
    "Franklin",
    "Fraser",
    "Garcia",
    "Gardner",
    "Gibson",
    "Gilbert",
    "Gordon",
    "Graham",
    "Grant",
    "Greene",
    "Griffin",
    "Hamilton",
    "Hansen",
    "Harper",
    "Harrington",
    "Harris",
    "Hart",
    "Hawkins",
    "Hayes",
    "Henderson",
    "Hoffman",
    "Holland",
    "Holmes",
    "Howard",
    "Hughes",
    "Hunter",
    "Jacobs",
    "Jensen",
    "Johnston",
    "Jordan",
    "Keller",
    "Kennedy",
    "Kessler",
    "Kim",
    "Klein",
    "Knight",
    "Koch",
    "Kowalski",
    "Lambert",
    "Lawrence",
    "Lehmann",
    "Lewis",
    "Lindqvist",
    "Logan",
    "Lopez",
    "Lucas",
    "Lynch",
    "MacDonald",
    "Maldonado",
    "Marshall",
    "Martens",
    "Mason",
    "Matthews",
    "McCarthy",
    "McKenzie",
    "Meyer",
    "Miller",
    "Mitchell",
    "Monroe",
    "Morgan",
    "Morrison",
    "Murphy",
    "Nash",
    "Nelson",
    "Newman",
    "Nguyen",
    "Nichols",
    "Novak",
    "O'Brien",
    "O'Connor",
    "Olsen",
    "Owens",
    "Palmer",
    "Parker",
    "Patel",
    "Patterson",
    "Pearson",
    "Perry",
    "Peters",
    "Phillips",
    "Pierce",
    "Porter",
    "Powell",
    "Quinn",
    "Ramirez",
    "Reed",
    "Reyes",
    "Reynolds",
    "Richards",
    "Riley",
    "Roberts",
    "Robinson",
    "Rogers",
    "Ross",
    "Russell",
    "Ryan",
    "Sanders",
    "Schmidt",
    "Schneider",
    "Schultz",
    "Scott",
    "Shaw",
    "Simmons",
    "Sinclair",
    "Sorensen",
    "Spencer",
    "Stanton",
    "Stevens",
    "Stewart",
    "Stone",
    "Sullivan",
    "Sutton",
    "Taylor",
    "Thompson",
    "Torres",
    "Tucker",
    "Turner",
    "Vargas",
    "Vaughn",
    "Wagner",
    "Walker",
    "Wallace",
    "Walsh",
    "Warren",
    "Watson",
    "Weber",
    "Wheeler",
    "Whitaker",
    "White",
    "Williams",
    "Wolfe",
    "Wright",
    "Young",
    "Zimmerman",
];

const PLACES: &[&str] = &[
    "Riverside",
    "Northside",
    "Lakeview",
    "Hillcrest",
    "Oakwood",
    "Maple Grove",
    "Cedar Park",
    "Pine Valley",
    "Brookfield",
    "Fairview",
    "Greenfield",
    "Harbor",
    "Highland",
    "Kingston",
    "Lincoln",
    "Meadowbrook",
    "Millbrook",
    "Mountain View",
    "Oak Ridge",
    "Parkside",
    "Redwood",
    "Rosewood",
    "Silver Lake",
    "Springfield",
    "Stonebridge",
    "Summit",
    "Sunset",
    "Westfield",
    "Willow Creek",
    "Blue Ridge",
    "Eastgate",
    "Bayside",
    "Canyon",
    "Coastal",
    "Metro",
    "Valley",
    "Prairie",
    "Granite",
    "Crescent",
    "Evergreen",
];

const TRADES: &[&str] = &[
    "Dental",
    "Family Medicine",
    "Veterinary",
    "Chiropractic",
    "Orthodontics",
    "Pediatrics",
    "Physical Therapy",
    "Eye Care",
    "Plumbing",
    "Electric",
    "Roofing",
    "Landscaping",
    "Construction",
    "Engineering",
    "Architects",
    "Accounting",
    "Tax Services",
    "Law",
    "Insurance",
    "Realty",
    "Property Management",
    "Logistics",
    "Trucking",
    "Auto Repair",
    "Manufacturing",
    "Machine Works",
    "Printing",
    "Catering",
    "Bakery",
    "Brewing",
    "Hospitality",
    "Dermatology",
    "Cardiology",
    "Imaging",
    "Pharmacy",
    "Counseling",
    "Financial Advisors",
    "Wealth Management",
    "Staffing",
    "Marketing",
    "Consulting",
    "IT Services",
    "Title Company",
    "Credit Union",
    "Animal Hospital",
    "Surgery Center",
    "Medical Group",
    "Home Health",
    "Senior Living",
    "Academy",
    "Montessori School",
    "Church",
    "Foundation",
    "Holdings",
    "Partners",
    "Group",
    "Associates",
    "Services",
];

const KINDS: &[&str] = &[
    "",
    "",
    "",
    " Center",
    " Clinic",
    " Co",
    " Group",
    " Partners",
];

const FORMS: &[&str] = &[
    "", "", "", "", " LLC", " Inc.", " Inc", ", LLC", " Ltd", " PC", " PLLC", " P.A.", " LLP",
    " Corp.", " GmbH", " Pty Ltd",
];

const LOCATIONS: &[&str] = &[
    " - Main Office",
    " (HQ)",
    " - Downtown",
    " - North",
    " #2",
    " - Branch 3",
    " - Clinic 2",
    " (Old Server Room)",
];

/// A customer name.
pub fn company_name(rng: &mut Rng) -> String {
    let core = match rng.below(6) {
        0 | 1 => format!("{} {}", rng.pick(SURNAMES), rng.pick(TRADES)),
        2 => format!(
            "{} & {} {}",
            rng.pick(SURNAMES),
            rng.pick(SURNAMES),
            rng.pick(TRADES)
        ),
        3 => format!(
            "{} {}{}",
            rng.pick(PLACES),
            rng.pick(TRADES),
            rng.pick(KINDS)
        ),
        4 => format!(
            "{} {} {}",
            rng.pick(PLACES),
            rng.pick(SURNAMES),
            rng.pick(TRADES)
        ),
        _ => format!("The {} {}", rng.pick(SURNAMES), rng.pick(TRADES)),
    };
    format!("{core}{}", rng.pick(FORMS))
}

/// How a site might spell a customer's name.
pub fn site_spelling(rng: &mut Rng, name: &str) -> String {
    let mut text = name.to_owned();
    if rng.chance(30) {
        text = text.to_uppercase();
    }
    if rng.chance(30) {
        text = typo(rng, &text);
    }
    if rng.chance(25) {
        for form in FORMS.iter().filter(|f| !f.is_empty()) {
            if let Some(stripped) = text.strip_suffix(form) {
                text = stripped.to_owned();
                break;
            }
        }
    }
    if rng.chance(30) {
        text.push_str(rng.pick(LOCATIONS));
    }
    text
}

fn typo(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.len() < 4 {
        return text.to_owned();
    }
    let at = 1 + rng.below(chars.len() - 2);
    match rng.below(3) {
        0 => {
            chars.remove(at);
        }
        1 => chars.swap(at, at - 1),
        _ => chars[at] = 'x',
    }
    chars.into_iter().collect()
}

/// `count` organizations and `count` site names: most sites spell an organization's name their
/// own way, the rest (one in five) are customers without an organization yet.
pub fn organizations_and_sites(count: usize, seed: u64) -> (Vec<Organization>, Vec<String>) {
    let mut rng = Rng::new(seed);
    let organizations: Vec<Organization> = (0..count)
        .map(|i| Organization {
            id: OrganizationId(ORGANIZATION_ID_OFFSET + i as u64),
            name: company_name(&mut rng),
        })
        .collect();
    let sites = (0..count)
        .map(|_| {
            if rng.chance(20) {
                company_name(&mut rng)
            } else {
                let target = &organizations[rng.below(organizations.len())];
                site_spelling(&mut rng, &target.name)
            }
        })
        .collect();
    (organizations, sites)
}

fn mac(n: u64) -> [u8; 6] {
    let b = n.to_be_bytes();
    [0x00, 0x1A, b[4], b[5], b[6], b[7]]
}

fn mac_text(octets: [u8; 6], notation: usize) -> String {
    let hex: Vec<String> = octets.iter().map(|b| format!("{b:02x}")).collect();
    match notation % 3 {
        0 => hex.join(":").to_uppercase(),
        1 => hex.join("-"),
        _ => hex.concat(),
    }
}

/// `count` devices and `count` configurations: about half share a MAC and a serial with a
/// device, and the rest share only a MAC, only a serial, only a name, or nothing; a few carry
/// placeholder serials or shared virtual MACs.
pub fn devices_and_configurations(count: usize, seed: u64) -> (Vec<Device>, Vec<Configuration>) {
    let mut rng = Rng::new(seed);
    let devices: Vec<Device> = (0..count as u64)
        .map(|i| {
            let mut device = Device::new(
                DeviceUid::new(format!("{:08x}-device", i.wrapping_mul(2_654_435_761))),
                SiteUid::new(format!("site-{}", i % 500)),
                format!("WS-{i:06}"),
            );
            device.network_interfaces = vec![
                NetworkInterface {
                    name: Some("Ethernet".into()),
                    ipv4: Some(format!("10.{}.{}.{}", i >> 16 & 255, i >> 8 & 255, i & 255)),
                    ipv6: None,
                    mac_address: Some(mac_text(mac(i), i as usize)),
                },
                NetworkInterface {
                    name: Some("Loopback".into()),
                    ipv4: None,
                    ipv6: None,
                    mac_address: Some("02-00-4C-4F-4F-50".into()),
                },
            ];
            device.serial_numbers = vec![if rng.chance(3) {
                "To Be Filled By O.E.M.".to_owned()
            } else {
                format!("SN{i:08}")
            }];
            device
        })
        .collect();
    let configurations = (0..count as u64)
        .map(|i| {
            let source = rng.below(count) as u64;
            let mut configuration = Configuration::new(
                ConfigurationId(2_000_000_000_000 + i),
                OrganizationId(1),
                format!("WS-{source:06}"),
            );
            let kind = rng.below(10);
            if kind < 7 {
                configuration.mac_addresses = vec![mac_text(mac(source), i as usize + 1)];
            }
            if kind < 5 || kind == 7 {
                configuration.serial_number = Some(format!("sn{source:08}"));
            }
            if kind == 9 {
                configuration.name = format!("Unrelated {i}");
            }
            configuration
        })
        .collect();
    (devices, configurations)
}

/// One query's result in the canonical text form the golden files keep (issue #19: results must
/// stay the same through the speed work): the query's row, its normalised form, its automatic
/// match and its suggestions with reason and score (with `decimals` decimals; the margins follow
/// from the scores).
/// Organization ids are written minus `id_offset`.
pub fn golden_line(
    row: usize,
    result: &sync_core::itglue::NameMatch,
    id_offset: u64,
    decimals: usize,
) -> String {
    use std::fmt::Write;

    let name = &result.name;
    let mut line = format!(
        "{row}\t{}|{}|{}\t",
        name.key,
        name.legal_forms.join(","),
        name.location.as_deref().unwrap_or("")
    );
    match result.matched {
        Some((id, reason)) => {
            let _ = write!(line, "{}:{reason:?}", id.0 - id_offset);
        }
        None => line.push('-'),
    }
    line.push('\t');
    // Weak suggestions (below the floor, added with #19) are not part of the recorded results.
    for (at, s) in result.suggestions.iter().filter(|s| !s.weak).enumerate() {
        if at > 0 {
            line.push(';');
        }
        let _ = write!(
            line,
            "{}:{:?}:{:.*}",
            s.candidate.0 - id_offset,
            s.reason,
            decimals,
            s.score
        );
    }
    line
}

/// FNV-1a (64 bits) of text: the digest of a golden output too large to keep in the repository.
pub fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The first id of [`organizations_and_sites`].
pub const ORGANIZATION_ID_OFFSET: u64 = 1_000_000_000_000;

/// The digest of the golden lines of `queries` (rows and names) at the default settings, scores
/// and margins with 9 decimals, as a hexadecimal text.
pub fn golden_digest(
    index: &sync_core::itglue::OrganizationIndex,
    queries: &[(usize, &str)],
    id_offset: u64,
) -> String {
    let options = sync_core::itglue::MatchOptions::default();
    let results = index.evaluate_all(queries.iter().map(|(_, q)| *q), &options);
    let mut text = String::new();
    for ((row, _), result) in queries.iter().zip(results) {
        text.push_str(&golden_line(*row, &result, id_offset, 9));
        text.push('\n');
    }
    format!("{:016x}", fnv1a(&text))
}
