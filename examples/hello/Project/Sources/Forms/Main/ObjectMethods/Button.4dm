Form.greeting:=hello_greet("World")
