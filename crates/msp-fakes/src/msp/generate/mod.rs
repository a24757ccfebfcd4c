//! The generator behind [`GeneratedMsp::generate`](super::GeneratedMsp::generate).

use std::collections::HashSet;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

mod nics;

use super::text::{site_tag, slug, strip_legal_suffix};
use super::vocabulary::*;
use super::{
    ClientCompany, DeviceClass, GeneratedMsp, MspAccount, MspDevice, MspNic, MspSite, MspSize,
    SiteKind,
};
use nics::NicSeed;

pub(super) struct Generator {
    rng: ChaCha8Rng,
    next_oui: u32,
}

impl Generator {
    pub(super) fn new(seed: u64) -> Generator {
        Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            next_oui: 0,
        }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.random_range(0..items.len())]
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    pub(super) fn run(mut self, seed: u64, size: MspSize) -> GeneratedMsp {
        let (site_count, device_count) = size.counts();
        let account = MspAccount {
            id: self.rng.random_range(1_000..100_000),
            uid: format!(
                "{}{}{}{}{:04}",
                self.letter(),
                self.letter(),
                self.rng.random_range(0..10),
                self.letter(),
                self.rng.random_range(0..10_000)
            ),
            name: format!("{} IT Services", self.pick(WORDS)),
        };

        let mut sites = system_sites(&mut self);
        let mut companies = Vec::new();
        let mut taken_company_names = HashSet::new();
        let mut taken_site_names: HashSet<String> =
            sites.iter().map(|s| s.name.to_lowercase()).collect();
        let mut taken_autotask = HashSet::new();
        while sites.len() < site_count {
            let remaining = site_count - sites.len();
            let company = self.company(
                companies.len(),
                &mut taken_company_names,
                &mut taken_autotask,
            );
            let wanted = match self.rng.random_range(0..100) {
                0..=84 => 1,
                85..=92 => 2,
                _ => self.rng.random_range(3..=5),
            };
            let names =
                self.site_names(&company.name, wanted.min(remaining), &mut taken_site_names);
            for name in names {
                let on_demand = self.chance(0.04);
                let index = sites.len();
                sites.push(MspSite {
                    index,
                    id: 0,
                    uid: self.uuid(),
                    name,
                    description: if self.chance(0.3) {
                        format!("Client since {}", self.rng.random_range(2008..2025))
                    } else {
                        String::new()
                    },
                    kind: if on_demand {
                        SiteKind::CustomerOnDemand
                    } else {
                        SiteKind::Customer
                    },
                    company: Some(company.index),
                    autotask_company_id: company.autotask_company_id.clone(),
                    autotask_company_name: company
                        .autotask_company_id
                        .as_ref()
                        .map(|_| company.name.clone()),
                    devices: 0..0,
                });
            }
            companies.push(company);
        }
        let mut next_site_id = self.rng.random_range(10_000..200_000);
        for site in &mut sites {
            site.id = next_site_id;
            next_site_id += self.rng.random_range(1..40);
        }

        let counts = self.device_counts(&sites, device_count);
        let mut devices = Vec::with_capacity(device_count);
        let mut next_device_id: i64 = self.rng.random_range(100_000..5_000_000);
        for (site_index, count) in counts.into_iter().enumerate() {
            let start = devices.len();
            let site_tag = site_tag(sites.get(site_index).map(|s| s.name.as_str()).unwrap_or(""));
            let subnet = (
                self.rng.random_range(0..3u8),
                self.rng.random_range(0..255u8),
            );
            let ext_ip = format!(
                "203.0.{}.{}",
                self.rng.random_range(0..255),
                self.rng.random_range(1..255)
            );
            let domain = if self.chance(0.7) {
                Some(format!("{}.local", site_tag.to_lowercase()))
            } else {
                Some("WORKGROUP".to_owned())
            };
            for n in 0..count {
                next_device_id += self.rng.random_range(1..25);
                let index = devices.len();
                let device = self.device(DeviceSeed {
                    index,
                    id: next_device_id,
                    site: site_index,
                    n,
                    site_tag: &site_tag,
                    subnet,
                    ext_ip: &ext_ip,
                    domain: domain.as_deref(),
                });
                devices.push(device);
            }
            if let Some(site) = sites.get_mut(site_index) {
                site.devices = start..devices.len();
            }
        }

        GeneratedMsp {
            seed,
            account,
            companies,
            sites,
            devices,
        }
    }

    fn letter(&mut self) -> char {
        char::from(b'a' + self.rng.random_range(0..26u8))
    }

    fn uuid(&mut self) -> String {
        let a: u32 = self.rng.random();
        let b: u16 = self.rng.random();
        let c: u16 = self.rng.random::<u16>() & 0x0fff;
        let d: u16 = (self.rng.random::<u16>() & 0x3fff) | 0x8000;
        let e: u64 = self.rng.random::<u64>() & 0xffff_ffff_ffff;
        format!("{a:08x}-{b:04x}-4{c:03x}-{d:04x}-{e:012x}")
    }

    fn company(
        &mut self,
        index: usize,
        taken: &mut HashSet<String>,
        taken_autotask: &mut HashSet<u32>,
    ) -> ClientCompany {
        let mut name = self.company_name();
        let mut attempt = 0;
        while taken.contains(&name.to_lowercase()) {
            attempt += 1;
            name = if attempt < 8 {
                self.company_name()
            } else {
                format!(
                    "{} of {} {}",
                    self.company_name(),
                    self.pick(CITIES),
                    attempt
                )
            };
        }
        taken.insert(name.to_lowercase());
        let autotask_company_id = if self.chance(0.75) {
            let mut id = self.rng.random_range(100..400_000u32);
            while !taken_autotask.insert(id) {
                id = self.rng.random_range(100..400_000u32);
            }
            Some(id.to_string())
        } else {
            None
        };
        let domain = format!("{}.example", slug(&strip_legal_suffix(&name)));
        ClientCompany {
            index,
            name,
            autotask_company_id,
            domain,
        }
    }

    fn company_name(&mut self) -> String {
        let base = match self.rng.random_range(0..100) {
            0..=29 => format!("{} {}", self.pick(WORDS), self.pick(INDUSTRIES)),
            30..=44 => format!("{} & {}", self.pick(SURNAMES), self.pick(SURNAMES)),
            45..=59 => format!("{} {}", self.pick(SURNAMES), self.pick(INDUSTRIES)),
            60..=66 => format!("{} & Sons", self.pick(SURNAMES)),
            67..=74 => format!("The {} {} Group", self.pick(WORDS), self.pick(INDUSTRIES)),
            75..=81 => format!(
                "{}, {} & {}",
                self.pick(SURNAMES),
                self.pick(SURNAMES),
                self.pick(SURNAMES)
            ),
            82..=87 => format!(
                "Dr. {} {}",
                self.pick(SURNAMES),
                self.pick(&[
                    "Dental Practice",
                    "Family Medicine",
                    "Orthodontics",
                    "Physiotherapy"
                ])
            ),
            88..=93 => format!(
                "{} {} of {}",
                self.pick(WORDS),
                self.pick(INDUSTRIES),
                self.pick(CITIES)
            ),
            _ => format!(
                "{}{}",
                self.pick(WORDS),
                self.pick(&["Tech", "Soft", "Net", "Med", "Logic", "Works"])
            ),
        };
        if self.chance(0.55) {
            format!("{base} {}", self.pick(LEGAL_SUFFIXES))
        } else {
            base
        }
    }

    fn site_names(
        &mut self,
        company: &str,
        wanted: usize,
        taken: &mut HashSet<String>,
    ) -> Vec<String> {
        let mut names = Vec::with_capacity(wanted);
        if wanted == 1 {
            let name = match self.rng.random_range(0..100) {
                0..=64 => company.to_owned(),
                65..=81 => strip_legal_suffix(company),
                82..=91 => format!("{company} - {}", self.pick(CITIES)),
                92..=95 => format!("{} ({})", strip_legal_suffix(company), self.pick(CITIES)),
                _ => company.to_uppercase(),
            };
            names.push(self.unique_site_name(name, taken));
            return names;
        }
        let base = if self.chance(0.5) {
            strip_legal_suffix(company)
        } else {
            company.to_owned()
        };
        for i in 0..wanted {
            let tail = if i == 0 && self.chance(0.4) {
                self.pick(SITE_TAIL_WORDS).to_owned()
            } else {
                self.pick(CITIES).to_owned()
            };
            let name = if self.chance(0.8) {
                format!("{base} - {tail}")
            } else {
                format!("{base} – {tail}")
            };
            names.push(self.unique_site_name(name, taken));
        }
        names
    }

    fn unique_site_name(&mut self, name: String, taken: &mut HashSet<String>) -> String {
        let mut candidate = name.clone();
        let mut n = 2;
        while !taken.insert(candidate.to_lowercase()) {
            candidate = format!("{name} {n}");
            n += 1;
        }
        candidate
    }

    /// How many devices each site gets: a heavy-tailed spread over the sites that have devices.
    fn device_counts(&mut self, sites: &[MspSite], total: usize) -> Vec<usize> {
        let mut weights: Vec<f64> = sites
            .iter()
            .map(|site| {
                let empty = match site.kind {
                    SiteKind::SystemManaged | SiteKind::SystemDeletedDevices => self.chance(0.3),
                    SiteKind::SystemOnDemand => false,
                    _ => self.chance(0.08),
                };
                if empty {
                    0.0
                } else {
                    let u: f64 = self.rng.random();
                    1.0 / (u + 0.04)
                }
            })
            .collect();
        if weights.iter().all(|w| *w == 0.0)
            && let Some(last) = weights.last_mut()
        {
            *last = 1.0;
        }
        let sum: f64 = weights.iter().sum();
        let mut counts: Vec<usize> = weights
            .iter()
            .map(|w| ((w / sum) * total as f64).floor() as usize)
            .collect();
        let assigned: usize = counts.iter().sum();
        let non_empty: Vec<usize> = (0..weights.len()).filter(|i| weights[*i] > 0.0).collect();
        let mut missing = total.saturating_sub(assigned);
        let mut cursor = 0;
        while missing > 0 && !non_empty.is_empty() {
            counts[non_empty[cursor % non_empty.len()]] += 1;
            cursor += 1;
            missing -= 1;
        }
        counts
    }

    fn device(&mut self, seed: DeviceSeed<'_>) -> MspDevice {
        let roll = self.rng.random_range(0..1000);
        let (device_class, category) = match roll {
            0..=509 => (DeviceClass::Device, "Desktop"),
            510..=779 => (DeviceClass::Device, "Laptop"),
            780..=879 => (DeviceClass::Device, "Server"),
            880..=919 => (DeviceClass::Printer, "Printer"),
            920..=934 => (DeviceClass::EsxiHost, "ESXi Host"),
            _ => (DeviceClass::NetworkDevice, "Network Device"),
        };
        let virtual_machine =
            category == "Server" && self.chance(0.45) || category == "Desktop" && self.chance(0.05);
        let mut type_name = if virtual_machine {
            "Virtual"
        } else {
            "Physical"
        }
        .to_owned();
        let mut description = None;
        let mut hostname = None;
        let (manufacturer, model, shape) = match (device_class, virtual_machine) {
            (DeviceClass::Device, true) => self.vendor(VIRTUAL_VENDORS),
            (DeviceClass::Device, false) if category == "Server" => self.vendor(SERVER_VENDORS),
            (DeviceClass::Device, false) => self.vendor(PC_VENDORS),
            (DeviceClass::Printer, _) => {
                let (manufacturer, model, _) = PRINTERS[self.rng.random_range(0..PRINTERS.len())];
                description = Some(format!("{manufacturer} {model}"));
                (
                    manufacturer.to_owned(),
                    model.to_owned(),
                    SerialShape::Alnum12,
                )
            }
            (DeviceClass::EsxiHost, _) => self.vendor(SERVER_VENDORS),
            (DeviceClass::NetworkDevice, _) => {
                let gear = &NETWORK_GEAR[self.rng.random_range(0..NETWORK_GEAR.len())];
                // Discovery does not identify every device: some identified models come
                // back with the generic type, their SNMP description still naming them.
                type_name = if self.chance(0.8) {
                    gear.datto_type
                } else {
                    GENERIC_NETWORK_TYPE
                }
                .to_owned();
                description = Some(gear.description.to_owned());
                hostname = Some(format!(
                    "{}-{}{:02}",
                    seed.site_tag,
                    self.pick(gear.stems),
                    seed.n % 100
                ));
                (
                    gear.manufacturer.to_owned(),
                    gear.model.to_owned(),
                    SerialShape::Alnum12,
                )
            }
        };
        let operating_system = match (device_class, category) {
            (DeviceClass::Device, "Server") => self.pick(SERVER_OS).to_owned(),
            (DeviceClass::Device, _) if manufacturer == "Apple Inc." => self
                .pick(&[
                    "macOS Sonoma (14.5)",
                    "macOS Ventura (13.6.7)",
                    "macOS Sequoia (15.1)",
                ])
                .to_owned(),
            (DeviceClass::Device, _) => self.pick(WINDOWS_DESKTOP_OS).to_owned(),
            (DeviceClass::EsxiHost, _) => self
                .pick(&["VMware ESXi 8.0.2", "VMware ESXi 7.0.3"])
                .to_owned(),
            _ => String::new(),
        };
        let serial_number = if self.chance(0.07) {
            Some(self.pick(JUNK_SERIALS).to_owned())
        } else if self.chance(0.02) {
            None
        } else {
            Some(self.serial(shape))
        };
        let int_ip = format!(
            "{}.{}.{}",
            match seed.subnet.0 {
                0 => "192.168".to_owned(),
                1 => format!("10.{}", seed.subnet.1 / 2),
                _ => "172.16".to_owned(),
            },
            seed.subnet.1,
            10 + (seed.n % 240)
        );
        // Physical Windows servers often run Hyper-V: they then list a virtual switch adapter.
        let hyper_v_host = category == "Server"
            && !virtual_machine
            && operating_system.contains("Windows")
            && self.chance(0.4);
        let guest_oui = match manufacturer.as_str() {
            "Microsoft Corporation" => HYPER_V_OUI,
            _ => VMWARE_OUI,
        };
        let card = NicSeed {
            class: device_class,
            category,
            guest_oui: virtual_machine.then_some(guest_oui),
            hyper_v_host,
            ipv4: &int_ip,
        };
        let nics = self.nics(&card);
        let hostname = match (hostname, device_class) {
            (Some(hostname), _) => hostname,
            (None, DeviceClass::Printer) => self.printer_hostname(&model, &nics, seed),
            (None, _) => self.hostname(category, seed.site_tag, seed.n),
        };
        let online = self.chance(0.72);
        let last_seen_ms = if online {
            NOW_MS - self.rng.random_range(0..600_000)
        } else {
            NOW_MS - self.rng.random_range(DAY_MS / 24..120 * DAY_MS)
        };
        let last_audit_ms = if device_class == DeviceClass::Device && self.chance(0.97) {
            Some(last_seen_ms - self.rng.random_range(0..2 * DAY_MS))
        } else {
            None
        };
        let creation_ms = NOW_MS - self.rng.random_range(30 * DAY_MS..2_000 * DAY_MS);
        let last_logged_in_user = (device_class == DeviceClass::Device && self.chance(0.85))
            .then(|| format!("{}\\{}", seed.site_tag, self.pick(FIRST_NAMES)));
        MspDevice {
            index: seed.index,
            id: seed.id,
            uid: self.uuid(),
            site: seed.site,
            hostname,
            device_class,
            category: category.to_owned(),
            type_name,
            description,
            manufacturer,
            model,
            operating_system,
            serial_number,
            nics,
            int_ip_address: int_ip,
            ext_ip_address: seed.ext_ip.to_owned(),
            domain: if device_class == DeviceClass::Device {
                seed.domain.map(str::to_owned)
            } else {
                None
            },
            last_logged_in_user,
            online,
            last_seen_ms,
            last_audit_ms,
            creation_ms,
        }
    }

    /// A printer keeps its vendor's default name (its MAC address behind the vendor's letters)
    /// or gets one like the site's other devices.
    fn printer_hostname(&mut self, model: &str, nics: &[MspNic], seed: DeviceSeed<'_>) -> String {
        let letters = PRINTERS
            .iter()
            .find(|(_, m, _)| *m == model)
            .map_or("", |(_, _, letters)| *letters);
        let mac: String = nics
            .first()
            .map(|n| {
                n.mac_address
                    .chars()
                    .filter(char::is_ascii_hexdigit)
                    .collect()
            })
            .unwrap_or_default();
        let mac = mac.to_uppercase();
        match letters {
            "BRN" if mac.len() == 12 && self.chance(0.6) => format!("BRN{mac}"),
            "NPI" | "KM" if mac.len() == 12 && self.chance(0.6) => {
                format!("{letters}{}", &mac[6..])
            }
            _ => format!(
                "{}-{}{:02}",
                seed.site_tag,
                self.pick(&["PRN", "MFP", "PRINTER"]),
                seed.n % 100
            ),
        }
    }

    fn vendor(
        &mut self,
        vendors: &[(&str, &[&str], SerialShape)],
    ) -> (String, String, SerialShape) {
        let (manufacturer, models, shape) = vendors[self.rng.random_range(0..vendors.len())];
        (manufacturer.to_owned(), self.pick(models).to_owned(), shape)
    }

    fn alnum(&mut self, len: usize, alphabet: &[u8]) -> String {
        (0..len)
            .map(|_| char::from(alphabet[self.rng.random_range(0..alphabet.len())]))
            .collect()
    }

    fn serial(&mut self, shape: SerialShape) -> String {
        const UPPER_ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
        const DIGITS: &[u8] = b"0123456789";
        const HEX: &[u8] = b"0123456789abcdef";
        match shape {
            SerialShape::DellTag => self.alnum(7, UPPER_ALNUM),
            SerialShape::Hp => format!("5CG{}", self.alnum(7, UPPER_ALNUM)),
            SerialShape::Lenovo => format!("PF{}", self.alnum(6, UPPER_ALNUM)),
            SerialShape::Digits12 => self.alnum(12, DIGITS),
            SerialShape::Alnum12 => self.alnum(12, UPPER_ALNUM),
            SerialShape::Alnum15 => self.alnum(15, UPPER_ALNUM),
            SerialShape::VmWare => {
                let bytes: Vec<String> = (0..16).map(|_| self.alnum(2, HEX)).collect();
                format!("VMware-{}-{}", bytes[..8].join(" "), bytes[8..].join(" "))
            }
            SerialShape::HyperV => format!(
                "{}-{}-{}-{}-{}-{}-{}",
                self.alnum(4, DIGITS),
                self.alnum(4, DIGITS),
                self.alnum(4, DIGITS),
                self.alnum(4, DIGITS),
                self.alnum(4, DIGITS),
                self.alnum(4, DIGITS),
                self.alnum(2, DIGITS)
            ),
        }
    }

    fn hostname(&mut self, category: &str, site_tag: &str, n: usize) -> String {
        match category {
            "Server" if self.chance(0.5) => self.pick(SHARED_HOSTNAMES[..5].as_ref()).to_owned(),
            "Server" => format!("{site_tag}-SRV{:02}", n % 100),
            "ESXi Host" => format!("esx{:02}.{}.local", n % 100, site_tag.to_lowercase()),
            _ => match self.rng.random_range(0..100) {
                0..=29 => format!(
                    "DESKTOP-{}",
                    self.alnum(7, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                ),
                30..=44 => self.pick(SHARED_HOSTNAMES).to_owned(),
                45..=69 => format!("{site_tag}-PC{:03}", n % 1000),
                70..=84 => format!("{}-LAPTOP", self.pick(FIRST_NAMES).to_uppercase()),
                _ => format!("{site_tag}-WS{:02}", self.rng.random_range(1..60)),
            },
        }
    }
}

#[derive(Clone, Copy)]
struct DeviceSeed<'a> {
    index: usize,
    id: i64,
    site: usize,
    n: usize,
    site_tag: &'a str,
    subnet: (u8, u8),
    ext_ip: &'a str,
    domain: Option<&'a str>,
}

fn system_sites(generator: &mut Generator) -> Vec<MspSite> {
    [
        ("Managed", SiteKind::SystemManaged),
        ("OnDemand", SiteKind::SystemOnDemand),
        ("Deleted Devices", SiteKind::SystemDeletedDevices),
    ]
    .into_iter()
    .enumerate()
    .map(|(index, (name, kind))| MspSite {
        index,
        id: 0,
        uid: generator.uuid(),
        name: name.to_owned(),
        description: String::new(),
        kind,
        company: None,
        autotask_company_id: None,
        autotask_company_name: None,
        devices: 0..0,
    })
    .collect()
}
