"""The practitioner's case pages: appointments, case (risk, plan, obligations, transfer), enforcement."""
