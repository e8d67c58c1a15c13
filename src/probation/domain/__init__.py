"""Pure domain: entities, value objects and rules of law. No framework, no ORM, no clock."""
