"""Needs, interventions and outcomes: criminogenic needs scored over the sentence, a directory of
services and programmes with referrals from the plan, commissioned options offered to the cases
that qualify, structured one-to-one sessions, and the end-of-sentence comparison of needs, risk
and objectives (see docs/INTERVENTIONS.md)."""
