//! The example register of a Dutch workforce-scheduling SaaS, as readable data. The
//! sub-processor sheet keeps the published list as written (German, with `Sprung`, the
//! free-text locations and the duplicated Xelion and Google Mail rows); the other sheets are
//! what such a company would keep beside it (`inputs/README.md` lists the assumptions).
//! [`dyflexis_2023`] is an invented earlier version of the same register, before Dyflexis
//! replaced its SMS provider by Spryng and added Intercom, for `ropa diff`.
#![allow(dead_code)]

use super::sheets::{Cell, Sheet};

const TRUE_INFO: &str = "Dyflexis ist eine Webanwendung, die vom Amsterdamer Webhost True gehostet wird. Alle Prozesse und Verfahren entsprechen strengen internationalen Sicherheitsstandards.";
const POSTMARK_INFO: &str = "Der Dienst Postmark wird von Dyflexis zum Versenden von E-Mails aus dem System verwendet. Dazu zählen automatisch versandte Nachrichten wie „Passwort vergessen“. Alle E-Mails werden während der Übertragung verschlüsselt.";
const SPRUNG_INFO: &str = "Wenn Sie sich für das Versenden von SMS mit Dyflexis entscheiden, werden diese über Spryng versendet. Dies bedeutet, dass die Telefonnummern der Empfänger zwischengespeichert werden. Diese werden maximal 1 Woche aufbewahrt. Alle Spryng-Rechenzentren erfüllen die strenge ISO 27001-Zertifizierung für Datensicherheit.";
const ZENDESK_INFO: &str = "Zendesk wird von unserer Support-Abteilung zur Beantwortung von Fragen zu Dyflexis verwendet. Die folgenden Daten werden standardmäßig gespeichert: Vorname, Nachname, E-Mail-Adresse und Systemname.";
const XELION_INFO: &str = "Xelion ist unser VoiP-Telekommunikationsanbieter. Wenn Sie telefonisch mit uns Kontakt aufgenommen haben, wird Ihre Telefonnummer von Xelion verarbeitet.";
const XELION_INFO_SALES: &str = "Xelion ist unser VoiP-Telefonanbieter. Wenn Sie telefonisch mit uns Kontakt aufgenommen haben, wird Ihre Telefonnummer von Xelion verarbeitet.";
const GMAIL_INFO: &str = "Dyflexis verwendet Google Mail als E-Mail-Client. Google Mail verwendet verschlüsselte Verbindungen und arbeitet gemäß den Standards ISO 27001, 27017 und 27018.";
const INTERCOM_INFO: &str = "Intercom wird verwendet, um Kunden eine Chat-Option auf unserer Website anzubieten. Hierzu wird nur ein Teil der IP-Adresse verarbeitet, die nicht auf eine Einzelperson zurückgeführt werden kann.";
const SALESFORCE_INFO: &str = "Alle Informationen, die für den Verkaufsprozess und die Implementierung von Dyflexis relevant sind, werden in Salesforce gespeichert.";
const PARDOT_INFO: &str = "Pardot wird zur Marketingautomatisierung verwendet. Pardot ist Teil von Salesforce und erfüllt dieselben strengen Standards.";
const JOINME_INFO: &str = "Join me wird verwendet, um Online-Demos von Dyflexis bereitzustellen. Von Join me werden keine Daten gespeichert.";
const TWINFIELD_INFO: &str = "Twinfield wird für die Buchhaltung verwendet. Ihre Rechnungen werden in Twinfield bearbeitet. Der gesamte Datenverkehr wird verschlüsselt.";
const ADWORDS_INFO: &str = "Wenn Sie mit den Cookies einverstanden sind, können wir Google Adwords für die Weitervermarktung verwenden.";
const ANALYTICS_INFO: &str = "Wenn Sie mit den Cookies einverstanden sind, werden diese mit Google Analytics verarbeitet. Wir anonymisieren IP-Adressen.";

const SMS_OLD_INFO: &str = "SMS-Nachrichten aus Dyflexis werden über SMSdienst Voorbeeld versendet. Die Telefonnummern der Empfänger werden dabei zwischengespeichert.";

/// Which version of the register: the current one, or the invented 2023 one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Version {
    Current,
    Earlier,
}

const USE: &str = "Nutzung des Dyflexis-Service";
const CONTACT: &str = "Kommunikation mit uns";
const SALES: &str = "Verkaufsprozess und Fakturierung";
const WEBSITE: &str = "Besuch der Website";
const SIGNED: &str = "✓ unterzeichnet";
const YES: &str = "✓";

fn organisation() -> Sheet {
    Sheet::new("Organisatie")
        .widths(&[28.0, 60.0])
        .row(&["Veld", "Waarde"])
        .row(&["Naam", "Dyflexis"])
        .row(&["Rol", "verwerker en verwerkingsverantwoordelijke"])
        .row(&["Land", "Nederland"])
        .row(&["E-mailadres", "privacy@dyflexis.example"])
        .row(&["Toezichthouder", "Autoriteit Persoonsgegevens"])
}

fn activities(version: Version) -> Sheet {
    let earlier = version == Version::Earlier;
    Sheet::new("Verwerkingsactiviteiten")
        .widths(&[
            6.0, 30.0, 24.0, 14.0, 40.0, 26.0, 30.0, 36.0, 36.0, 18.0, 22.0, 30.0, 28.0, 36.0, 14.0,
        ])
        .row(&[
            "ID",
            "Naam verwerking",
            "Rol",
            "Opdrachtgevers",
            "Doel van de\nverwerking",
            "Grondslag",
            "Categorieën van\nbetrokkenen",
            "Categorieën van\npersoonsgegevens",
            "Ontvangers",
            "Systemen",
            "Doorgiften naar derde landen",
            "Waarborgen",
            "Bewaartermijn",
            "Beveiligingsmaatregelen",
            "Afdeling",
        ])
        .row(&[
            "V1",
            "Personeelsplanning (Dyflexis-dienst)",
            "verwerker",
            "*",
            "Roosters maken, uren registreren en medewerkers informeren, in opdracht van klanten",
            "",
            "Medewerkers van klanten\nPlanners van klanten",
            "Naam\nE-mailadres\nTelefoonnummer\nBeschikbaarheid\nGewerkte uren",
            if earlier {
                "Postmark\nSMSdienst Voorbeeld B.V."
            } else {
                "Postmark\nSpryng"
            },
            "Dyflexis-applicatie",
            "",
            "",
            "Tot 30 dagen na einde contract",
            "ISO 27001; versleutelde verbindingen; toegangsbeheer per klant",
            "Product",
        ])
        .row(&[
            "V2",
            "Klantenondersteuning",
            "verwerkingsverantwoordelijke",
            "",
            "Vragen van klanten beantwoorden via telefoon, e-mail, chat en kennisbank",
            "gerechtvaardigd belang",
            if earlier {
                "Contactpersonen van klanten"
            } else {
                "Contactpersonen van klanten\nWebsitebezoekers"
            },
            "Naam\nE-mailadres\nTelefoonnummer\nSysteemnaam",
            if earlier {
                "Zendesk\nXelion\nGoogle Mail"
            } else {
                "Zendesk\nXelion\nGoogle Mail\nIntercom"
            },
            "",
            "VS",
            "EU-US Privacy Shield",
            "2 jaar na laatste contact",
            "Versleutelde verbindingen; toegang alleen voor support",
            "Support",
        ])
        .row(&[
            "V3",
            "Verkoop en facturatie",
            "verwerkingsverantwoordelijke",
            "",
            "Verkoopproces, implementatie en facturatie; marketingmails na toestemming",
            "Art. 6 lid 1 sub b AVG; toestemming (marketing)",
            "Prospects\nContactpersonen van klanten",
            "Naam\nE-mailadres\nTelefoonnummer\nBedrijfsnaam",
            if earlier {
                "Salesforce\nPardot\nJoin.me\nXelion\nGoogle Mail\nTwinfield\nBelastingdienst"
            } else {
                "Salesforce\nPardot\nJoin Me\nXelion\nGoogle Mail\nTwinfield\nBelastingdienst"
            },
            "",
            "VS",
            "EU-US Privacy Shield",
            "7 jaar (fiscale bewaarplicht)",
            "Versleutelde verbindingen; rolgebaseerde toegang",
            "Sales",
        ])
        .row(&[
            "V4",
            "Website en online marketing",
            "verwerkingsverantwoordelijke",
            "",
            "Websitestatistieken en remarketing, alleen na toestemming voor cookies",
            "toestemming",
            "Websitebezoekers",
            "IP-adres\nCookie-ID",
            "Google Adwords\nGoogle Analytics",
            "",
            "VS",
            "EU-US Privacy Shield",
            "26 maanden",
            "IP-anonimisering",
            "Marketing",
        ])
}

fn systems() -> Sheet {
    Sheet::new("Applicaties")
        .widths(&[22.0, 40.0, 14.0, 16.0, 30.0])
        .row(&[
            "Naam",
            "Omschrijving",
            "Gehost door",
            "Opslaglocatie",
            "Persoonsgegevens",
        ])
        .row(&[
            "Dyflexis-applicatie",
            "Webapplicatie voor personeelsplanning en urenregistratie",
            "True",
            "Nederland",
            "In Dyflexis opgeslagen gegevens",
        ])
}

#[allow(clippy::too_many_arguments)]
fn processor(
    name: &'static str,
    group: &'static str,
    service: &'static str,
    location: &'static str,
    data: &'static str,
    dpa: &'static str,
    encrypted: &'static str,
    certificates: &'static str,
    info: &'static str,
    reviewed: Option<(u16, u8, u8)>,
) -> Vec<Cell> {
    vec![
        name.into(),
        group.into(),
        service.into(),
        location.into(),
        data.into(),
        dpa.into(),
        encrypted.into(),
        certificates.into(),
        info.into(),
        match reviewed {
            Some((y, m, d)) => Cell::Date(y, m, d),
            None => Cell::Empty,
        },
    ]
}

fn processors(version: Version) -> Sheet {
    let earlier = version == Version::Earlier;
    let mut sheet = Sheet::new("Unterauftragsverarbeiter")
        .widths(&[18.0, 26.0, 24.0, 30.0, 30.0, 18.0, 12.0, 30.0, 60.0, 14.0])
        .merge(
            0,
            0,
            0,
            9,
            "Unterauftragsverarbeiter für den Dyflexis-Service (wie veröffentlicht)",
        )
        .row(&[])
        .row(&[])
        .row(&[
            "Unterauftragsverarbeiter",
            "Kategorie",
            "Dienst",
            "Standort",
            "Personenbezogene Daten",
            "Verarbeitungsvereinbarung",
            "Datenverkehr verschlüsselt",
            "Digitale Zertifikate",
            "Info",
            "Zuletzt geprüft",
        ]);
    sheet = sheet.cells(if earlier {
        processor(
            "True",
            USE,
            "Hosting Dyflexis",
            "Niederlande",
            "In Dyflexis gespeicherte Daten",
            SIGNED,
            YES,
            "ISO 27001:2013 und NEN 7510:2011",
            TRUE_INFO,
            Some((2023, 3, 1)),
        )
    } else {
        processor(
            "True",
            USE,
            "Hosting Dyflexis",
            "Niederlande",
            "In Dyflexis gespeicherte Daten",
            SIGNED,
            YES,
            "ISO 27001:2013, ISO 9001 und NEN 7510:2011",
            TRUE_INFO,
            Some((2024, 3, 1)),
        )
    });
    sheet = sheet.cells(if earlier {
        processor(
            "Postmark",
            USE,
            "E-Mail Dienst",
            "US- EU/USprivacyshield in place.",
            "E-Mail-Adressen",
            SIGNED,
            YES,
            "",
            POSTMARK_INFO,
            Some((2023, 3, 1)),
        )
    } else {
        processor(
            "Postmark",
            USE,
            "E-Mail Dienst",
            "US- EU/USprivacyshield in place.",
            "E-Mail-Adressen",
            SIGNED,
            YES,
            "",
            POSTMARK_INFO,
            Some((2024, 3, 1)),
        )
    });
    sheet = sheet.cells(if earlier {
        processor(
            "SMSdienst Voorbeeld B.V.",
            USE,
            "SMS-Dienst",
            "Niederlande",
            "Telefonnummer",
            SIGNED,
            "",
            "ISO 27001",
            SMS_OLD_INFO,
            None,
        )
    } else {
        processor(
            "Sprung",
            USE,
            "SMS-Dienst",
            "EU",
            "Telefonnummer",
            SIGNED,
            "",
            "ISO 27001 Zertifikat und NEN7510.",
            SPRUNG_INFO,
            None,
        )
    });
    sheet = sheet.cells(if earlier {
        processor(
            "Zendesk",
            CONTACT,
            "Support Ticket System",
            "US- EU/USprivacyshield inplace.",
            "Name\nE-Mail-Adresse",
            SIGNED,
            YES,
            "IV- oder III+, SSAE-16, PCI DSS- und ISO 27001",
            ZENDESK_INFO,
            None,
        )
    } else {
        processor(
            "Zendesk",
            CONTACT,
            "Support Ticket System",
            "US- EU/USprivacyshield inplace.",
            "Name\nE-Mail-Adresse\nSystemname (häufig der Firmenname)",
            SIGNED,
            YES,
            "IV- oder III+, SSAE-16, PCI DSS- und ISO 27001",
            ZENDESK_INFO,
            None,
        )
    });
    sheet = sheet.cells(if earlier {
        processor(
            "Xelion",
            CONTACT,
            "Telekommunikationsanbieter",
            "NL",
            "Telefonnummer",
            "",
            "",
            "",
            XELION_INFO,
            None,
        )
    } else {
        processor(
            "Xelion",
            CONTACT,
            "Telekommunikationsanbieter",
            "NL",
            "Telefonnummer",
            SIGNED,
            "",
            "",
            XELION_INFO,
            None,
        )
    });
    sheet = sheet.cells(processor(
        "Google Mail",
        CONTACT,
        "E-Mail-Client",
        "US-EU/USprivacyshield inplace.",
        "Name\nE-Mail-Adresse",
        SIGNED,
        YES,
        "ISO 27001, 27017 und 27018",
        GMAIL_INFO,
        None,
    ));
    if !earlier {
        sheet = sheet.cells(processor(
            "Intercom",
            CONTACT,
            "Website Chat",
            "US-EU/USprivacyshield inplace",
            "Anonymisierte IP-Adresse",
            SIGNED,
            YES,
            "",
            INTERCOM_INFO,
            None,
        ));
    }
    sheet = sheet.cells(if earlier {
        processor(
            "Salesforce",
            SALES,
            "CRM",
            "US- EU/USprivacyshield in place.",
            "Name\nE-Mail-Adresse\nTelefonnummer",
            SIGNED,
            YES,
            "ISO27001,27017en27018.AICPASOC1,2en3.PCIDSS,NEN",
            SALESFORCE_INFO,
            None,
        )
    } else {
        processor(
            "Salesforce",
            SALES,
            "CRM",
            "EU",
            "Name\nE-Mail-Adresse\nTelefonnummer",
            SIGNED,
            YES,
            "ISO27001,27017en27018.AICPASOC1,2en3.PCIDSS,NEN",
            SALESFORCE_INFO,
            None,
        )
    });
    sheet = sheet.cells(processor(
        "Pardot",
        SALES,
        "CRM",
        "EU",
        "Name\nE-Mail-Adresse",
        SIGNED,
        YES,
        "ISO27001,27017und 27018.AICPASOC1,2 und 3.PCIDSS,NEN",
        PARDOT_INFO,
        None,
    ));
    sheet = sheet.cells(if earlier {
        processor(
            "Join.me",
            SALES,
            "Online Bildschirmfreigabe",
            "US-EU/USprivacyshieldinplace.",
            "IP-Adresse",
            SIGNED,
            "",
            "",
            JOINME_INFO,
            None,
        )
    } else {
        processor(
            "Join Me",
            SALES,
            "Online Bildschirmfreigabe",
            "US-EU/USprivacyshieldinplace.",
            "IP-Adresse",
            SIGNED,
            "",
            "",
            JOINME_INFO,
            None,
        )
    });
    sheet = sheet.cells(if earlier {
        processor(
            "Xelion",
            SALES,
            "Telekommunikationsanbieter",
            "NL",
            "Telefonnummer",
            "",
            "",
            "",
            XELION_INFO_SALES,
            None,
        )
    } else {
        processor(
            "Xelion",
            SALES,
            "Telekommunikationsanbieter",
            "NL",
            "Telefonnummer",
            SIGNED,
            "",
            "",
            XELION_INFO_SALES,
            None,
        )
    });
    sheet = sheet.cells(processor(
        "Google Mail",
        SALES,
        "E-Mail-Client",
        "US-EU/USprivacyshieldinplace.",
        "Name\nE-Mail-Adresse",
        SIGNED,
        YES,
        "ISO 27001,27017 und 27018",
        GMAIL_INFO,
        None,
    ));
    sheet = sheet.cells(processor(
        "Twinfield",
        SALES,
        "Online Buchhaltung",
        "NL",
        "Name\nE-Mail-Adresse",
        SIGNED,
        YES,
        "Zeker-OnLine keurmerk. (Sicher- Surfen Gütezeichen)",
        TWINFIELD_INFO,
        None,
    ));
    sheet = sheet.cells(processor(
        "Google Adwords",
        WEBSITE,
        "Onlinemarketing",
        "US-EU/USprivacyshield in place.",
        "IP-Adresse",
        SIGNED,
        "",
        "ISO 27001,27017 und 27018",
        ADWORDS_INFO,
        None,
    ));
    sheet = sheet.cells(processor(
        "Google Analytics",
        WEBSITE,
        "Statistiken",
        "US-EU/USprivacyshield in place",
        "IP-Adresse",
        SIGNED,
        "",
        "ISO 27001,27017 und 27018",
        ANALYTICS_INFO,
        None,
    ));
    sheet
}

fn customers() -> Sheet {
    Sheet::new("Klanten")
        .widths(&[30.0, 34.0, 14.0])
        .row(&["Naam", "Contactpersoon", "Land"])
        .row(&[
            "Horecagroep Voorbeeld B.V.",
            "privacy@horecagroep.example",
            "Nederland",
        ])
        .row(&["Zorggroep Voorbeeld", "fg@zorggroep.example", "België"])
        .row(&[
            "Retail Beispiel GmbH",
            "datenschutz@retail-beispiel.example",
            "Duitsland",
        ])
}

/// The example workbook's sheets, in order.
pub fn dyflexis() -> Vec<Sheet> {
    vec![
        organisation(),
        activities(Version::Current),
        systems(),
        processors(Version::Current),
        customers(),
    ]
}

/// An invented earlier version of the register (2023), before the SMS provider
/// `SMSdienst Voorbeeld B.V.` was replaced by Spryng, Intercom was added for the website chat,
/// Salesforce moved its data to the EU, `Join.me` was respelled `Join Me`, Zendesk began to
/// receive the system name, Xelion's DPA was signed and True added ISO 9001.
pub fn dyflexis_2023() -> Vec<Sheet> {
    vec![
        organisation(),
        activities(Version::Earlier),
        systems(),
        processors(Version::Earlier),
        customers(),
    ]
}
