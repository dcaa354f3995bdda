//! Kazakhstan identifiers (IIN, BIN) and ISO 3166-1 alpha-2 country codes.
//!
//! An [`Iin`] or [`Bin`] cannot hold an invalid value: the only ways to get one
//! check the length, the digits and the check digit (DESIGN.md, «Identifiers»).
//! `Debug` of an IIN is redacted so that it cannot reach a log by accident.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ErrorCode};

const WEIGHTS_FIRST: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_SECOND: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit of the first 11 digits, or `None` when the number cannot be valid.
pub fn check_digit(first11: &[u8; 11]) -> Option<u8> {
    let sum = |w: &[u32; 11]| -> u32 {
        first11
            .iter()
            .zip(w.iter())
            .map(|(d, w)| u32::from(*d) * w)
            .sum::<u32>()
            % 11
    };
    let first = sum(&WEIGHTS_FIRST);
    let digit = if first == 10 {
        sum(&WEIGHTS_SECOND)
    } else {
        first
    };
    (digit < 10).then_some(digit as u8)
}

fn digits12(s: &str) -> Option<[u8; 12]> {
    let bytes = s.as_bytes();
    if bytes.len() != 12 {
        return None;
    }
    let mut out = [0u8; 12];
    for (o, b) in out.iter_mut().zip(bytes) {
        if !b.is_ascii_digit() {
            return None;
        }
        *o = b - b'0';
    }
    Some(out)
}

fn checksum_ok(d: &[u8; 12]) -> bool {
    let mut first = [0u8; 11];
    first.copy_from_slice(&d[..11]);
    check_digit(&first) == Some(d[11])
}

/// Individual identification number of a person (ЖСН / ИИН).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iin([u8; 12]);

impl Iin {
    pub fn parse(s: &str) -> Result<Self, Error> {
        let invalid = || Error::new(ErrorCode::InvalidIin);
        let d = digits12(s).ok_or_else(invalid)?;
        if !checksum_ok(&d) {
            return Err(invalid());
        }
        // YYMMDD, then the century-and-sex digit 1..=6.
        let century = match d[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            _ => return Err(invalid()),
        };
        let year = century + i16::from(d[0]) * 10 + i16::from(d[1]);
        let month = (d[2] * 10 + d[3]) as i8;
        let day = (d[4] * 10 + d[5]) as i8;
        jiff::civil::Date::new(year, month, day).map_err(|_| invalid())?;
        Ok(Iin(d))
    }

    pub fn as_string(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// Date of birth encoded in the IIN.
    pub fn birth_date(&self) -> jiff::civil::Date {
        let d = &self.0;
        let century = match d[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            _ => 2000,
        };
        let year = century + i16::from(d[0]) * 10 + i16::from(d[1]);
        // Validated at construction.
        jiff::civil::Date::new(year, (d[2] * 10 + d[3]) as i8, (d[4] * 10 + d[5]) as i8)
            .unwrap_or(jiff::civil::Date::MIN)
    }
}

impl fmt::Debug for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Iin(<redacted>)")
    }
}

/// Business identification number of an organization (БСН / БИН).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bin([u8; 12]);

impl Bin {
    pub fn parse(s: &str) -> Result<Self, Error> {
        let d = digits12(s).ok_or_else(|| Error::new(ErrorCode::InvalidBin))?;
        if !checksum_ok(&d) {
            return Err(Error::new(ErrorCode::InvalidBin));
        }
        Ok(Bin(d))
    }

    pub fn as_string(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }
}

impl fmt::Debug for Bin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bin({})", self.as_string())
    }
}

impl fmt::Display for Bin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

macro_rules! serde_as_string {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.as_string())
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                <$t>::parse(&s).map_err(|e| serde::de::Error::custom(e.code.as_str()))
            }
        }
    };
}
serde_as_string!(Iin);
serde_as_string!(Bin);

/// All officially assigned ISO 3166-1 alpha-2 codes.
const ISO_3166_1_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// An ISO 3166-1 alpha-2 country code, upper case.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    pub const KZ: CountryCode = CountryCode(*b"KZ");

    pub fn parse(s: &str) -> Result<Self, Error> {
        let b = s.as_bytes();
        let known = b.len() == 2
            && b.iter().all(u8::is_ascii_uppercase)
            && ISO_3166_1_ALPHA2.split(' ').any(|c| c.as_bytes() == b);
        if known {
            Ok(CountryCode([b[0], b[1]]))
        } else {
            Err(Error::new(ErrorCode::InvalidCountry))
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    pub fn as_string(&self) -> String {
        self.as_str().to_owned()
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
serde_as_string!(CountryCode);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn design_examples_pass() {
        assert!(Iin::parse("900101300017").is_ok());
        assert!(Iin::parse("851231400021").is_ok());
        assert!(Bin::parse("040840001231").is_ok());
    }

    #[test]
    fn malformed_values_fail() {
        for bad in [
            "",
            "90010130001",
            "9001013000170",
            "90010130001a",
            "900101300018",
            "900101 00017",
            "９００１０１３０００１７",
        ] {
            assert_eq!(
                Iin::parse(bad).map_err(|e| e.code),
                Err(ErrorCode::InvalidIin),
                "{bad}"
            );
            assert!(Bin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn iin_rejects_impossible_dates_and_century_digit() {
        // Valid checksum, but 30 February.
        let mut d = [9, 0, 0, 2, 3, 0, 3, 0, 0, 0, 1];
        let c = check_digit(&d);
        let s = |d: &[u8; 11], c: u8| {
            d.iter()
                .chain(std::iter::once(&c))
                .map(|x| char::from(b'0' + x))
                .collect::<String>()
        };
        if let Some(c) = c {
            assert!(Iin::parse(&s(&d, c)).is_err());
        }
        // Century digit 0 and 7 are invalid.
        for century in [0u8, 7, 8, 9] {
            d = [9, 0, 0, 1, 0, 1, century, 0, 0, 0, 1];
            if let Some(c) = check_digit(&d) {
                assert!(Iin::parse(&s(&d, c)).is_err());
            }
        }
    }

    #[test]
    fn second_weight_pass_is_used() {
        // Find a prefix whose first pass gives 10, so the second weights decide.
        let mut found = false;
        for n in 0..200_000u32 {
            let s = format!("{:011}", n);
            let mut digits = [0u8; 11];
            for (o, b) in digits.iter_mut().zip(s.bytes()) {
                *o = b - b'0';
            }
            let first: u32 = digits
                .iter()
                .zip(WEIGHTS_FIRST)
                .map(|(d, w)| u32::from(*d) * w)
                .sum::<u32>()
                % 11;
            if first == 10 {
                let second: u32 = digits
                    .iter()
                    .zip(WEIGHTS_SECOND)
                    .map(|(d, w)| u32::from(*d) * w)
                    .sum::<u32>()
                    % 11;
                assert_eq!(check_digit(&digits), (second < 10).then_some(second as u8));
                found = true;
                break;
            }
        }
        assert!(found);
    }

    #[test]
    fn debug_of_iin_is_redacted() {
        let iin = Iin::parse("900101300017").unwrap();
        assert!(!format!("{iin:?}").contains("900101"));
        assert_eq!(iin.birth_date(), jiff::civil::date(1990, 1, 1));
    }

    #[test]
    fn countries() {
        assert!(CountryCode::parse("KZ").is_ok());
        assert!(CountryCode::parse("DE").is_ok());
        for bad in ["kz", "XX", "KAZ", "", "Z"] {
            assert!(CountryCode::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(ISO_3166_1_ALPHA2.split(' ').count(), 249);
    }

    fn arb_birth_prefix() -> impl Strategy<Value = [u8; 7]> {
        (1u8..=6, 0u8..=99, 1u8..=12, 1u8..=28)
            .prop_map(|(c, yy, mm, dd)| [yy / 10, yy % 10, mm / 10, mm % 10, dd / 10, dd % 10, c])
    }

    proptest! {
        #[test]
        fn any_12_digit_string_parses_iff_checksum_holds(s in "[0-9]{12}") {
            let d = digits12(&s).unwrap();
            prop_assert_eq!(Bin::parse(&s).is_ok(), checksum_ok(&d));
            if Iin::parse(&s).is_ok() {
                prop_assert!(checksum_ok(&d));
            }
        }

        #[test]
        fn generated_iins_roundtrip(prefix in arb_birth_prefix(), serial in proptest::array::uniform4(0u8..=9)) {
            let mut first = [0u8; 11];
            first[..7].copy_from_slice(&prefix);
            first[7..].copy_from_slice(&serial);
            let s: String;
            match check_digit(&first) {
                Some(c) => {
                    s = first.iter().chain(std::iter::once(&c)).map(|x| char::from(b'0' + x)).collect();
                    let iin = Iin::parse(&s).unwrap();
                    prop_assert_eq!(iin.as_string(), s.clone());
                    let json = serde_json::to_string(&iin).unwrap();
                    let back: Iin = serde_json::from_str(&json).unwrap();
                    prop_assert_eq!(back, iin);
                }
                None => {
                    for c in 0..10u8 {
                        let s: String = first.iter().chain(std::iter::once(&c)).map(|x| char::from(b'0' + x)).collect();
                        prop_assert!(Iin::parse(&s).is_err());
                    }
                }
            }
        }

        #[test]
        fn changing_the_check_digit_is_always_detected(s in "[0-9]{11}", delta in 1u8..10) {
            let mut first = [0u8; 11];
            for (o, b) in first.iter_mut().zip(s.bytes()) { *o = b - b'0'; }
            if let Some(c) = check_digit(&first) {
                let wrong = (c + delta) % 10;
                let full: String = first.iter().chain(std::iter::once(&wrong)).map(|x| char::from(b'0' + x)).collect();
                prop_assert!(Bin::parse(&full).is_err());
                prop_assert!(Iin::parse(&full).is_err());
            }
        }
    }
}
