"""Session documents: Word templates filled with docxtpl (``render``), their checks (``checks``) and samples."""
