"""cchc_lib: administrative-reform (CCHC) statistics to commune reports."""
