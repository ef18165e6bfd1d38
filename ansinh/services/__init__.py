"""Public-service procedures: the catalogue, dossiers from submission to result, deadlines."""
