"""The bundled sample library: five reports of two events in Turkish, Albanian and Arabic."""
