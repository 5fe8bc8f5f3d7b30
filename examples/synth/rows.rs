//! The rows of `synth` (see `main.rs`), shared with the test that checks the compiled batch
//! reader takes them.

use std::io::Write;

struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const COUNTRIES: [&str; 12] = [
    "UGA", "MWI", "BGD", "CIV", "KEN", "BRA", "VNM", "SEN", "NPL", "PER", "MAR", "KAZ",
];
const PROBLEMS: [&str; 16] = [
    "the patent office has a growing backlog of applications",
    "examiners lack training in new technologies",
    "researchers cannot search patent documents",
    "universities do not license their inventions",
    "small businesses rarely register trademarks",
    "musicians and film producers earn little from their works",
    "ministers see intellectual property only as a cost",
    "the law has not been updated since independence",
    "customs and police do not enforce IP rights",
    "there is no national IP strategy",
    "the office has no computers for an information service",
    "no university teaches intellectual property",
    "chambers of commerce cannot advise entrepreneurs",
    "regional cooperation with neighbouring offices is weak",
    "collective management of copyright is not functional",
    "policy makers lack understanding of flexibilities",
];

/// Writes the header and `rows` rows; with `text`, each row has its own free text.
pub fn write_rows(out: &mut impl Write, rows: u64, text: bool) -> std::io::Result<()> {
    let mut random = Random(0x1DEA_5EED);
    let header = "id,country,ldc_status,regional_system,ip_strategy,policy_maker_awareness,legislation_status,treaty_accession_planned,flexibilities_in_law,substantive_examination,patent_pendency_months,pending_applications,patent_examiners,staff_training,office_automation,online_filing,public_ip_database,inter_agency_cooperation,patent_info_center,patent_info_use,sme_ip_services,university_ip_policies,tech_transfer_offices,ip_management_skills,creative_industries_study,collective_management,ip_courses,ip_professionals,challenges";
    writeln!(out, "{header}")?;
    for row in 0..rows {
        let r = &mut random;
        let yes_no = ["yes", "no"];
        let scale = ["1", "2", "3", "4", "5"];
        let country = if r.below(4) == 0 {
            ""
        } else {
            r.pick(&COUNTRIES)
        };
        let challenges = if text {
            let first = r.pick(&PROBLEMS);
            let second = r.pick(&PROBLEMS);
            format!("\"Row {row}: {first}, and {second}.\"")
        } else {
            String::new()
        };
        writeln!(
            out,
            "p{row},{country},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{challenges}",
            if country.is_empty() { r.pick(&["ldc", "graduating", "graduated", "no"]) } else { "" },
            if country.is_empty() { r.pick(&["aripo", "oapi", "none", "eapo;epo"]) } else { "" },
            r.pick(&["adopted", "in_preparation", "none"]),
            r.pick(&scale),
            r.pick(&["up_to_date", "needs_revision", "outdated"]),
            r.pick(&yes_no),
            r.pick(&["yes", "partly", "no"]),
            r.pick(&["full", "partial", "none"]),
            r.below(120),
            r.below(200_000),
            r.below(400),
            r.pick(&["regular", "occasional", "none"]),
            r.pick(&["full", "partial", "none"]),
            r.pick(&yes_no),
            r.pick(&yes_no),
            r.pick(&scale),
            r.pick(&yes_no),
            r.pick(&scale),
            r.pick(&yes_no),
            r.pick(&["most", "some", "none"]),
            r.pick(&["many", "few", "none"]),
            r.pick(&scale),
            r.pick(&yes_no),
            r.pick(&["functional", "developing", "none"]),
            r.pick(&["widespread", "few", "none"]),
            r.pick(&scale),
        )?;
    }
    out.flush()
}
