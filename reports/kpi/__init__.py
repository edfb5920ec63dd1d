"""Key figures (KPI) of a jobcentre's virksomhedscentre, computed in PostgreSQL."""
