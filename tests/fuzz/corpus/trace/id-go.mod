module github.com/labstack/echo/v4

go 1.20
panic: x

goroutine 1 [running]:
main.main()
	/root/go/pkg/mod/github.com/labstack/echo/v4@v4.11.1/context.go:10 +0x1
