from relsite.cli import main

main(prog_name="relsite")
