"""Data-protection rules (Part 3 of the Data Protection Act 2018): how long each kind of record
is kept and what happens to it then (`retention`), and which fields of a person each role
receives (`minimisation`). Pure: no database, no clock."""
