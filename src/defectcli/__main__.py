"""``python -m defectcli`` runs the ``defect`` command."""

from .cli import main

if __name__ == "__main__":
    main()
