"""``python -m defectcli`` runs the ``defect`` command."""

from .entry import main

if __name__ == "__main__":
    main()
